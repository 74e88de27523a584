import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Op } from '@imcluster/protocol';
import { asUser, ChatClient, directConv, type ChatView } from '../helpers/chat.ts';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { cometStats } from '../helpers/comet_stats.ts';
import { registerUser } from '../helpers/users.ts';

// Issue 9, items 2, 3, 4, 7 and 8, in cluster mode with two logic instances.
const cleanup = fileCleanup();
let cluster: TestCluster;
const MAX_TARGETS = 3;
const GROUP_MAX = 7;

before(async () => {
  cluster = await TestCluster.start(cleanup, {
    logics: 2,
    comets: 2,
    jobs: 2,
    env: { IM_CHAT_RESEND_SCHEDULE_MS: '700,700,700', IM_PUSH_MAX_TARGETS: String(MAX_TARGETS), IM_CHAT_GROUP_MAX_MEMBERS: String(GROUP_MAX) },
  });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seqsOf = (messages: ChatView[]) => messages.map((m) => m.seq);
type Listed = { code: number; conversations: { conv: string; delivered_seq: number }[] };

async function list(client: ChatClient): Promise<Listed> {
  const seq = client.client.send(Op.ChatConversations, '{}');
  const reply = await client.client.next((p) => p.op === Op.ChatConversationsReply && p.seq === seq);
  return JSON.parse(reply.body.toString('utf8')) as Listed;
}

describe('chat promises in the cluster', () => {
  it('a retried client_msg_id returns exactly the first ack; the same id for another target or body is refused (4022)', async () => {
    const [alice, bob, carol] = await Promise.all([registerUser(cluster.http), registerUser(cluster.http), registerUser(cluster.http)]);
    const a = await ChatClient.connect('ws', cluster.comets[0]!.ws, alice.token);
    const first = await a.send(bob.id, 'hello', 'same-id');
    assert.equal(first.code, 0);
    assert.deepEqual(await a.send(bob.id, 'hello', 'same-id'), first, 'the retry gets the original ack');
    const other = await a.send(carol.id, 'hello', 'same-id');
    assert.equal(other.code, 4022, `another target: ${JSON.stringify(other)}`);
    assert.equal((await a.send(bob.id, 'changed', 'same-id')).code, 4022, 'another body');
    const history = await asUser(cluster.http, alice.token, 'GET', `/api/v1/conversations/${directConv(alice.id, carol.id)}/messages?after=0`);
    assert.deepEqual(history.body.messages, [], 'nothing stored for the refused target');
    a.close();
  });

  it('what the sender sent is not unread for the sender (op 32), on every logic', async () => {
    const [alice, bob] = await Promise.all([registerUser(cluster.http), registerUser(cluster.http)]);
    const a = await ChatClient.connect('tcp', cluster.comets[1]!.tcp, alice.token);
    for (let i = 0; i < 3; i++) assert.equal((await a.send(bob.id, `m${i}`)).code, 0);
    const conv = directConv(alice.id, bob.id);
    for (let i = 0; i < 2; i++) {
      const seq = a.client.send(Op.ChatConversations, '{}');
      const reply = await a.client.next((p) => p.op === Op.ChatConversationsReply && p.seq === seq);
      const listed = JSON.parse(reply.body.toString('utf8')) as { conversations: { conv: string; last_seq: number; read_seq: number; unread: number }[] };
      assert.deepEqual(listed.conversations.map((c) => [c.conv, c.last_seq, c.read_seq, c.unread]), [[conv, 3, 3, 0]]);
    }
    a.close();
  });

  it('re-sends go to each device until that device acknowledges; each device keeps its own delivered cursor', async () => {
    const [alice, bob] = await Promise.all([registerUser(cluster.http), registerUser(cluster.http)]);
    const a = await ChatClient.connect('ws', cluster.comets[0]!.ws, alice.token);
    const phone = await ChatClient.connect('tcp', cluster.comets[0]!.tcp, bob.token, 'phone');
    const laptop = await ChatClient.connect('ws', cluster.comets[1]!.ws, bob.token, 'laptop');
    const conv = directConv(alice.id, bob.id);
    assert.equal((await a.send(bob.id, 'one')).code, 0);
    await phone.waitDelivered(conv, 1);
    phone.ack(conv, 1);
    await laptop.waitDelivered(conv, 1);
    await pause(2_600); // the whole re-send schedule
    assert.deepEqual(seqsOf(phone.delivered(conv)), [1], 'the device that acknowledged gets no re-send');
    assert.ok(laptop.delivered(conv).length >= 3, `the silent device got re-sends: ${laptop.delivered(conv).length}`);

    const phoneAgain = await ChatClient.connect('ws', cluster.comets[1]!.ws, bob.token, 'phone');
    const laptopAgain = await ChatClient.connect('tcp', cluster.comets[0]!.tcp, bob.token, 'laptop');
    assert.deepEqual((await list(phoneAgain)).conversations.map((c) => [c.conv, c.delivered_seq]), [[conv, 1]]);
    assert.deepEqual((await list(laptopAgain)).conversations.map((c) => [c.conv, c.delivered_seq]), [[conv, 0]], 'the laptop syncs from its own cursor');
    for (const c of [a, phone, laptop, phoneAgain, laptopAgain]) c.close();
  });

  it('a device that acknowledges promptly never sees a re-send, even for messages sent just before its ack', async () => {
    const [alice, bob] = await Promise.all([registerUser(cluster.http), registerUser(cluster.http)]);
    const a = await ChatClient.connect('ws', cluster.comets[0]!.ws, alice.token);
    const b = await ChatClient.connect('tcp', cluster.comets[1]!.tcp, bob.token, 'desk');
    const conv = directConv(alice.id, bob.id);
    const resends = async () => Number((await cometStats(cluster.comets[1]!.grpc)).chatResends ?? 0);
    const before = await resends();
    const acker = setInterval(() => {
      const seqs = seqsOf(b.delivered(conv));
      if (seqs.length > 0) b.ack(conv, Math.max(...seqs));
    }, 100);
    for (let i = 0; i < 30; i++) {
      assert.equal((await a.send(bob.id, `m${i}`)).code, 0);
      await pause(60);
    }
    await b.waitDelivered(conv, 30);
    await pause(1_500);
    clearInterval(acker);
    assert.deepEqual(seqsOf(b.delivered(conv)), Array.from({ length: 30 }, (_, i) => i + 1), 'each message once, in order');
    assert.equal((await resends()) - before, 0);
    a.close();
    b.close();
  });

  it('a group larger than the push receiver limit gets every message, receipt and recall; its size limit is enforced', async () => {
    const users = await Promise.all(Array.from({ length: GROUP_MAX }, () => registerUser(cluster.http)));
    const [owner, ...others] = users;
    const created = await asUser(cluster.http, owner!.token, 'POST', '/api/v1/groups', { name: 'big' });
    const group = Number(created.body.id);
    for (const user of others) assert.equal((await asUser(cluster.http, owner!.token, 'POST', `/api/v1/groups/${group}/members`, { user: user.id })).status, 201);
    const late = await registerUser(cluster.http);
    const refused = await asUser(cluster.http, owner!.token, 'POST', `/api/v1/groups/${group}/members`, { user: late.id });
    assert.equal(refused.status, 409, `past IM_CHAT_GROUP_MAX_MEMBERS: ${JSON.stringify(refused.body)}`);

    const clients = await Promise.all(users.map((u, i) => ChatClient.connect(i % 2 ? 'ws' : 'tcp', i % 2 ? cluster.comets[1]!.ws : cluster.comets[0]!.tcp, u.token)));
    const conv = `g:${group}`;
    const sent = await clients[0]!.sendToGroup(group, 'to everyone');
    assert.equal(sent.code, 0);
    for (const client of clients) await client.waitDelivered(conv, 1);
    clients[1]!.read(conv, 1);
    assert.equal((await clients[0]!.recall(conv, 1)).code, 0);
    for (const client of clients) {
      await client.waitEvent<{ conv: string }>(Op.ChatReadReceipt, (e) => e.conv === conv);
      await client.waitEvent<{ conv: string }>(Op.ChatRecalled, (e) => e.conv === conv);
    }
    for (const client of clients) client.close();
  });

  it('3,000 pipelined sends on one connection are all stored and acknowledged, and a bystander is not held up behind them', async () => {
    const [alice, bob, carol] = await Promise.all([registerUser(cluster.http), registerUser(cluster.http), registerUser(cluster.http)]);
    const busy = await ChatClient.connect('tcp', cluster.comets[0]!.tcp, alice.token);
    const bystander = await ChatClient.connect('ws', cluster.comets[0]!.ws, carol.token);
    let busyDone = false;
    const flood = busy.pipeline(bob.id, 3_000, 3_000).finally(() => {
      busyDone = true;
    });
    await pause(200);
    const ack = await bystander.send(bob.id, 'meanwhile');
    assert.equal(ack.code, 0);
    assert.equal(busyDone, false, 'the bystander was answered while the flood was still being stored');
    const acks = await flood;
    const refused = acks.filter((a) => a.code !== 0);
    assert.deepEqual(refused.slice(0, 3), [], `every pipelined send acknowledged (${refused.length} not)`);
    assert.deepEqual(acks.map((a) => a.seq), Array.from({ length: 3_000 }, (_, i) => i + 1));
    busy.close();
    bystander.close();
  });
});
