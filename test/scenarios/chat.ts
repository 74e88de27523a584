import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Op } from '@imcluster/protocol';
import { asUser, ChatClient, directConv, range } from '../helpers/chat.ts';
import { TestClient } from '../helpers/client.ts';
import { registerUser } from '../helpers/users.ts';
import type { Target } from './e2e.ts';

/** Chat guarantees (one-to-one and group), run against a cluster and against a standalone node. */
export function chatScenarios(target: () => Target, perDirection = 1000): void {
  const comet = (i: number) => target().comets[i % target().comets.length]!;
  const http = () => `http://${target().http}`;

  describe('chat', () => {
    it(`two users on different comets exchange ${perDirection} messages each way: all delivered, in order per sender, no gaps`, async () => {
      const [alice, bob] = [await registerUser(http()), await registerUser(http())];
      const a = await ChatClient.connect('ws', comet(0).ws, alice.token);
      const b = await ChatClient.connect('tcp', comet(1).tcp, bob.token);
      const conv = directConv(alice.id, bob.id);
      const sendAll = async (from: ChatClient, to: number, tag: string) => {
        const seqs: number[] = [];
        for (let i = 0; i < perDirection; i++) {
          const ack = await from.send(to, `${tag}${i}`);
          assert.equal(ack.code, 0, JSON.stringify(ack));
          seqs.push(ack.seq!);
        }
        return seqs;
      };
      const [aSeqs, bSeqs] = await Promise.all([sendAll(a, bob.id, 'a'), sendAll(b, alice.id, 'b')]);
      assert.deepEqual([...aSeqs, ...bSeqs].sort((x, y) => x - y), range(2 * perDirection), 'seqs are 1..N without gaps');

      for (const [client, name] of [[a, 'alice'], [b, 'bob']] as const) {
        const got = await client.waitDelivered(conv, 2 * perDirection);
        const bySeq = new Map(got.map((m) => [m.seq, m]));
        assert.deepEqual([...bySeq.keys()].sort((x, y) => x - y), range(2 * perDirection), `${name} has every seq once after filtering`);
        for (const tag of ['a', 'b']) {
          const fromOne = got.filter((m) => m.payload!.startsWith(tag)).map((m) => Number(m.payload!.slice(1)));
          const firstSeen = fromOne.filter((n, i) => fromOne.indexOf(n) === i);
          assert.deepEqual(firstSeen, [...firstSeen].sort((x, y) => x - y), `${name} sees ${tag}'s messages in the order sent`);
        }
        client.ack(conv, 2 * perDirection);
      }
      a.close();
      b.close();
    });

    it('a receiver offline during 500 messages gets all of them by sync after reconnecting, on two devices', async () => {
      const [alice, bob] = [await registerUser(http()), await registerUser(http())];
      const a = await ChatClient.connect('tcp', comet(0).tcp, alice.token);
      for (let i = 0; i < 500; i++) assert.equal((await a.send(bob.id, `m${i}`)).code, 0);
      const conv = directConv(alice.id, bob.id);
      const phone = await ChatClient.connect('ws', comet(1).ws, bob.token);
      const laptop = await ChatClient.connect('tcp', comet(0).tcp, bob.token);
      for (const device of [phone, laptop]) {
        const all = await device.syncAll(conv, 0);
        assert.deepEqual(all.map((m) => m.seq), range(500));
        assert.deepEqual(all.map((m) => m.payload), range(500).map((n) => `m${n - 1}`));
        assert.ok(all.every((m) => m.from === alice.id));
      }
      // HTTP history, paging backwards from the end: complete and ordered.
      const pages: number[] = [];
      for (let before = 501; before > 1; ) {
        const page = await asUser(http(), bob.token, 'GET', `/api/v1/conversations/${conv}/messages?before=${before}&limit=64`);
        assert.equal(page.status, 200);
        const seqs = (page.body.messages as { seq: number }[]).map((m) => m.seq);
        pages.unshift(...seqs);
        before = seqs[0]!;
      }
      assert.deepEqual(pages, range(500));
      const outsider = await registerUser(http());
      assert.equal((await asUser(http(), outsider.token, 'GET', `/api/v1/conversations/${conv}/messages`)).status, 403);
      assert.equal((await asUser(http(), 'bad-token', 'GET', `/api/v1/conversations/${conv}/messages`)).status, 401);
      const tail = await phone.sync(conv, 150, 10);
      assert.deepEqual(tail.messages.map((m) => m.seq), range(10).map((n) => 150 + n));
      assert.equal(tail.last_seq, 500);
      assert.equal(tail.more, true);
      for (const c of [a, phone, laptop]) c.close();
    });

    it('a retried send with the same client id stores one message and returns the same ack', async () => {
      const [alice, bob] = [await registerUser(http()), await registerUser(http())];
      const a = await ChatClient.connect('ws', comet(0).ws, alice.token);
      const first = await a.send(bob.id, 'once', 'retry-1');
      const again = await a.send(bob.id, 'once', 'retry-1');
      assert.equal(first.code, 0);
      assert.deepEqual(again, first);
      const page = await a.sync(directConv(alice.id, bob.id));
      assert.equal(page.messages.length, 1);
      assert.equal(page.last_seq, 1);
      a.close();
    });

    it('bad sends get documented error replies and store nothing; the sender is always the token user', async () => {
      const [alice, bob, carol] = [await registerUser(http()), await registerUser(http()), await registerUser(http())];
      const a = await ChatClient.connect('tcp', comet(1).tcp, alice.token);
      assert.equal((await a.raw('{not json')).code, 4001);
      assert.equal((await a.raw(JSON.stringify({ to: { type: 'user', id: bob.id }, payload: 'no id' }))).code, 4001);
      assert.equal((await a.send(99_999_999, 'nobody')).code, 4004);
      assert.equal((await a.send(alice.id, 'me')).code, 4001);
      const big = await a.send(bob.id, 'x'.repeat(3500), 'too-big');
      assert.equal(big.code, 4013);
      assert.equal(big.client_msg_id, 'too-big');
      const forged = await a.send(bob.id, 'who am i', undefined, { from: carol.id, sender: carol.id });
      assert.equal(forged.code, 0);
      const stored = await a.sync(directConv(alice.id, bob.id));
      assert.deepEqual(stored.messages.map((m) => [m.seq, m.from, m.payload]), [[1, alice.id, 'who am i']], 'only the valid message is stored, from alice');
      assert.equal((await a.sync(directConv(bob.id, carol.id))).code, 4003, 'no reading of others\u2019 conversations');

      const viewer = await TestClient.ws(comet(0).ws);
      assert.equal((await viewer.auth({ uid: 0, roomid: 1, protover: 0, key: '' })).code, 0);
      const anon = new ChatClient(viewer);
      assert.equal((await anon.send(bob.id, 'hi')).code, 4003);
      a.close();
      viewer.close();
    });

    it('read receipts and recalls reach the other side; unread counts follow; history shows the recall', async () => {
      const [alice, bob] = [await registerUser(http()), await registerUser(http())];
      const a = await ChatClient.connect('tcp', comet(0).tcp, alice.token);
      const b = await ChatClient.connect('ws', comet(1).ws, bob.token);
      const conv = directConv(alice.id, bob.id);
      for (let i = 0; i < 5; i++) await a.send(bob.id, `r${i}`);
      assert.equal((await b.sync(conv)).unread, 5);

      b.read(conv, 3);
      const receipt = await a.waitEvent<{ conv: string; reader: number; seq: number }>(Op.ChatReadReceipt, (e) => e.reader === bob.id);
      assert.deepEqual(receipt, { conv, reader: bob.id, seq: 3 });
      assert.equal((await b.sync(conv)).unread, 2);
      b.read(conv, 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal((await b.sync(conv)).read_seq, 3, 'the read cursor never goes back');

      assert.equal((await b.recall(conv, 2)).code, 4009, 'only the sender may recall');
      assert.equal((await a.recall(conv, 2)).code, 0);
      const recalled = await b.waitEvent<{ conv: string; seq: number; by: number }>(Op.ChatRecalled, (e) => e.seq === 2);
      assert.deepEqual(recalled, { conv, seq: 2, by: alice.id });
      assert.equal((await a.recall(conv, 2)).code, 4009, 'a message is recalled once');
      const history = await b.syncAll(conv);
      assert.deepEqual(history.map((m) => [m.seq, m.payload, m.recalled ?? false]), [[1, 'r0', false], [2, null, true], [3, 'r2', false], [4, 'r3', false], [5, 'r4', false]]);
      a.close();
      b.close();
    });

    it('a group of 50 members over every comet: each member gets every message once, in the same order', async () => {
      const users = await Promise.all(Array.from({ length: 50 }, () => registerUser(http())));
      const owner = users[0]!;
      const created = await asUser(http(), owner.token, 'POST', '/api/v1/groups', { name: 'fifty' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const group = Number(created.body.id);
      for (const member of users.slice(1)) {
        const added = await asUser(http(), owner.token, 'POST', `/api/v1/groups/${group}/members`, { user: member.id });
        assert.ok(added.status < 300, JSON.stringify(added.body));
      }
      const clients = await Promise.all(users.map((u, i) => ChatClient.connect(i % 2 ? 'tcp' : 'ws', comet(i)[i % 2 ? 'tcp' : 'ws'], u.token)));
      const conv = `g:${group}`;
      const senders = clients.slice(0, 5);
      await Promise.all(senders.map(async (sender, s) => {
        for (let i = 0; i < 10; i++) assert.equal((await sender.sendToGroup(group, `s${s}m${i}`)).code, 0);
      }));
      const reference = new Map((await clients[0]!.syncAll(conv)).map((m) => [m.seq, m.payload]));
      assert.deepEqual([...reference.keys()], range(50));
      for (const [i, client] of clients.entries()) {
        const got = await client.waitDelivered(conv, 50);
        const bySeq = new Map(got.map((m) => [m.seq, m.payload]));
        assert.deepEqual([...bySeq.keys()].sort((x, y) => x - y), range(50), `member ${i} has every seq`);
        assert.deepEqual(bySeq, reference, `member ${i} sees the same message at each seq`);
        client.ack(conv, 50);
      }

      const outsider = await registerUser(http());
      const stranger = await ChatClient.connect('tcp', comet(0).tcp, outsider.token);
      assert.equal((await stranger.sendToGroup(group, 'let me in')).code, 4003);
      assert.equal((await stranger.sync(conv)).code, 4003);
      assert.equal((await stranger.sendToGroup(987_654_321, 'nobody')).code, 4004);
      for (const client of [...clients, stranger]) client.close();
    });

    it('a blocked sender is refused and nothing is stored', async () => {
      const [alice, bob] = [await registerUser(http()), await registerUser(http())];
      const blocked = await asUser(http(), bob.token, 'POST', '/api/v1/blocks', { user: alice.id });
      assert.ok(blocked.status < 300, JSON.stringify(blocked.body));
      const a = await ChatClient.connect('ws', comet(0).ws, alice.token);
      assert.equal((await a.send(bob.id, 'hello?')).code, 4003);
      assert.equal((await a.sync(directConv(alice.id, bob.id))).last_seq, 0);
      await asUser(http(), bob.token, 'DELETE', `/api/v1/blocks/${alice.id}`);
      assert.equal((await a.send(bob.id, 'hello again')).code, 0);
      a.close();
    });

    it('unacknowledged messages are re-sent; acknowledged ones are not', async () => {
      const [alice, bob] = [await registerUser(http()), await registerUser(http())];
      const a = await ChatClient.connect('ws', comet(0).ws, alice.token);
      const b = await ChatClient.connect('ws', comet(1).ws, bob.token);
      const conv = directConv(alice.id, bob.id);
      await a.send(bob.id, 'please ack');
      await b.waitDelivered(conv, 1);
      const deadline = Date.now() + 8000;
      while (b.delivered(conv).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(b.delivered(conv).length >= 2, 'delivered again after the first back-off step');
      b.ack(conv, 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const afterAck = b.delivered(conv).length;
      await new Promise((resolve) => setTimeout(resolve, 2500));
      assert.equal(b.delivered(conv).length, afterAck, 'no re-send once acknowledged');
      a.close();
      b.close();
    });
  });
}
