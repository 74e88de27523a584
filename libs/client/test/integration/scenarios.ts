import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asUser } from '../../../../test/helpers/chat.ts';
import { fileCleanup, type Cleanup } from '../../../../test/helpers/cleanup.ts';
import { ClientError, directConversation, groupConversation, memoryStore, streamDecompress, type ChatMessage, type ImClient } from '../../src/node.ts';
import { client, createGroup, inConv, newUser, post, record, waitFor, type Servers } from './helpers.ts';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const seqs = (messages: ChatMessage[]) => messages.map((m) => m.seq);

/** Sends `count` messages without waiting for each ack (the outbox pipelines them). */
function burst(c: ImClient, to: { type: 'user' | 'group'; id: number }, count: number, label: string) {
  return Promise.all(range(1, count).map((i) => c.chat.send(to, `${label}${i}`)));
}

/** Active handles of the kinds a client could leak, counted. */
function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) if (kind === 'Timeout' || kind === 'TCPSocketWrap') counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/**
 * What the SDK must do against any deployment: connect, live pushes, chat both ways and in a
 * group, history, receipts, recall, notices, resume from a store, errors, and a clean close.
 */
export function clientScenarios(servers: () => Servers, cleanup: Cleanup = fileCleanup()): void {
  const s = () => servers();

  /** Alice and Bob, each with a connected client, and their conversation. */
  async function pair() {
    const [alice, bob] = [await newUser(s()), await newUser(s())];
    const [a, b] = [client(cleanup, s(), { token: alice.token }), client(cleanup, s(), { token: bob.token })];
    const [ea, eb] = [record(a), record(b)];
    await Promise.all([a.connect(), b.connect()]);
    return { alice, bob, a, b, ea, eb, conv: directConversation(alice.id, bob.id) };
  }

  describe('client SDK', () => {
    it('connects over WebSocket and TCP with a device id, reports its states and the room count', async () => {
      const user = await newUser(s());
      for (const transport of ['ws', 'tcp'] as const) {
        const c = client(cleanup, s(), { transport, token: user.token, deviceId: `phone_${transport}-1`, room: 'live://sdk-connect' });
        const events = record(c);
        assert.equal(c.state, 'idle');
        const session = await c.connect();
        assert.equal(session.mid, user.id);
        assert.equal(session.room, 'live://sdk-connect');
        assert.equal(c.state, 'connected');
        assert.equal(c.deviceId, `phone_${transport}-1`);
        assert.equal(events.connecting.length, 1);
        await waitFor(() => events.online.length > 0, 'a heartbeat reply');
        assert.equal(typeof events.online[0]!.count, 'number');
        c.close();
        assert.equal(c.state, 'closed');
        assert.deepEqual(events.closed, [{ code: 1000, reason: 'closed by the app' }]);
      }
    });

    it('finds the comets through logic\u2019s node list', async () => {
      const user = await newUser(s());
      const c = client(cleanup, s(), { urls: [], discovery: s().http, token: user.token });
      const session = await c.connect();
      assert.ok(s().ws.some((a) => session.url === `ws://${a}/sub`), session.url);
      c.close();
    });

    it('receives room pushes, and after changeRoom those of the new room only', async () => {
      const [roomA, roomB] = [`live://sdk-a${Date.now()}`, `live://sdk-b${Date.now()}`];
      const viewer = client(cleanup, s(), { room: roomA, chat: false });
      const events = record(viewer);
      await viewer.connect();
      assert.equal((await post(`${s().http}/api/v1/push/room`, { operation: 1000, room: roomA, body: 'first' })).status, 202);
      await waitFor(() => events.push.length === 1, 'the room push');
      assert.deepEqual([events.push[0]!.op, events.push[0]!.kind, events.push[0]!.room, events.push[0]!.text()], [1000, 'room', roomA, 'first']);

      await viewer.changeRoom(roomB);
      assert.equal(viewer.room, roomB);
      await post(`${s().http}/api/v1/push/room`, { operation: 1000, room: roomA, body: 'old room' });
      await post(`${s().http}/api/v1/push/room`, { operation: 1001, room: roomB, body: JSON.stringify({ n: 2 }) });
      await waitFor(() => events.push.length === 2, 'the new room push');
      assert.deepEqual(events.push[1]!.json(), { n: 2 });
      assert.equal(events.push[1]!.room, roomB);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(events.push.length, 2, 'nothing from the room left');
    });

    it('receives user pushes on two devices, filtered by accepts, subscribe and unsubscribe, and broadcasts', async () => {
      const user = await newUser(s());
      const phone = client(cleanup, s(), { token: user.token, accepts: [1001], deviceId: 'phone' });
      const laptop = client(cleanup, s(), { token: user.token, accepts: [1001], deviceId: 'laptop', transport: 'tcp' });
      const [p, l] = [record(phone), record(laptop)];
      await Promise.all([phone.connect(), laptop.connect()]);
      const push = (op: number, body: string) => post(`${s().http}/api/v1/push/mids`, { operation: op, mids: [user.id], body });

      assert.equal((await push(1002, 'not accepted')).status, 202);
      assert.equal((await push(1001, 'to both')).status, 202);
      await waitFor(() => p.push.length === 1 && l.push.length === 1, 'the push on both devices');
      for (const events of [p, l]) assert.deepEqual([events.push[0]!.op, events.push[0]!.kind, events.push[0]!.text()], [1001, 'direct', 'to both']);

      await phone.subscribe([1002]);
      await push(1002, 'phone only');
      await waitFor(() => p.push.length === 2, 'the newly accepted op');
      assert.equal(p.push[1]!.text(), 'phone only');
      await phone.unsubscribe([1001]);
      await push(1001, 'laptop only');
      await waitFor(() => l.push.length === 2, 'laptop push');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(p.push.length, 2);
      await assert.rejects(phone.subscribe([-1]), (e: ClientError) => e.code === 'INVALID_ARGUMENT');

      // A broadcast is a single packet too, and no accept filter stops it.
      assert.equal((await post(`${s().http}/api/v1/push/all`, { operation: 1009, body: 'to everyone' })).status, 202);
      await waitFor(() => p.push.some((e) => e.op === 1009) && l.push.some((e) => e.op === 1009), 'the broadcast on both devices');
      assert.deepEqual([p.push.at(-1)!.kind, p.push.at(-1)!.text()], ['direct', 'to everyone']);
    });

    it('chats both ways with pipelined sends: every message once, in seq order, on every device', async () => {
      const [alice, bob] = [await newUser(s()), await newUser(s())];
      const a = client(cleanup, s(), { token: alice.token });
      const b1 = client(cleanup, s(), { token: bob.token, transport: 'tcp', deviceId: 'bob-phone' });
      const b2 = client(cleanup, s(), { token: bob.token, deviceId: 'bob-laptop' });
      const [ea, eb1, eb2] = [record(a), record(b1), record(b2)];
      await Promise.all([a.connect(), b1.connect(), b2.connect()]);

      const [acksA, acksB] = await Promise.all([burst(a, { type: 'user', id: bob.id }, 30, 'a'), burst(b1, { type: 'user', id: alice.id }, 30, 'b')]);
      const conv = directConversation(alice.id, bob.id);
      assert.ok([...acksA, ...acksB].every((ack) => ack.conv === conv));
      assert.deepEqual([...acksA, ...acksB].map((ack) => ack.seq).sort((x, y) => x - y), range(1, 60), 'one seq per send');
      assert.equal(new Set(acksA.map((ack) => ack.clientMsgId)).size, 30);
      for (const events of [ea, eb1, eb2]) {
        await waitFor(() => inConv(events.message, conv).length >= 60, 'all 60 messages');
        assert.deepEqual(seqs(inConv(events.message, conv)), range(1, 60), 'each once, in order');
      }
      assert.equal(ea.sent.length, 30);
      const byAlice = inConv(eb2.message, conv).filter((m) => m.from === alice.id);
      assert.deepEqual(byAlice.map((m) => m.payload).sort(), range(1, 30).map((i) => `a${i}`).sort());
    });

    it('chats in a group', async () => {
      const [owner, m1, m2] = [await newUser(s()), await newUser(s()), await newUser(s())];
      const group = await createGroup(s(), owner, [m1, m2]);
      const clients = [owner, m1, m2].map((u) => client(cleanup, s(), { token: u.token }));
      const events = clients.map(record);
      await Promise.all(clients.map((c) => c.connect()));
      await Promise.all(clients.map((c, i) => burst(c, { type: 'group', id: group }, 5, `m${i}-`)));
      const conv = groupConversation(group);
      for (const e of events) {
        await waitFor(() => inConv(e.message, conv).length >= 15, 'the group messages');
        assert.deepEqual(seqs(inConv(e.message, conv)), range(1, 15));
      }
      const outsider = client(cleanup, s(), { token: (await newUser(s())).token });
      await outsider.connect();
      await assert.rejects(outsider.chat.send({ type: 'group', id: group }, 'let me in'), (e: ClientError) => e.code === 'FORBIDDEN' && e.wireCode === 4003);
    });

    it('pages history backwards and lists conversations with unread counts', async () => {
      const { bob, a, b, conv } = await pair();
      await burst(a, { type: 'user', id: bob.id }, 120, 'h');

      const newest = await b.chat.history(conv, { limit: 50 });
      assert.deepEqual([seqs(newest.messages), newest.lastSeq, newest.hasMore], [range(71, 120), 120, true]);
      const middle = await b.chat.history(conv, { before: 71, limit: 50 });
      assert.deepEqual([seqs(middle.messages), middle.hasMore], [range(21, 70), true]);
      const oldest = await b.chat.history(conv, { before: 21, limit: 50 });
      assert.deepEqual([seqs(oldest.messages), oldest.hasMore], [range(1, 20), false]);
      assert.equal(oldest.messages[0]!.payload, 'h1');

      const list = await b.chat.conversations();
      const entry = list.find((c) => c.conv === conv);
      assert.deepEqual([entry?.lastSeq, entry?.readSeq, entry?.unread], [120, 0, 120]);
      await assert.rejects(b.chat.history('u:1:999999999'), (e: ClientError) => e.code === 'FORBIDDEN');
    });

    it('sends read receipts and receives the other side\u2019s', async () => {
      const { bob, a, b, ea, eb, conv } = await pair();
      await burst(a, { type: 'user', id: bob.id }, 6, 'r');
      await waitFor(() => eb.message.length === 6, 'messages at bob');
      b.chat.markRead(conv, 5);
      await waitFor(() => ea.receipt.length > 0 && eb.receipt.length > 0, 'receipts on both sides');
      assert.deepEqual(ea.receipt[0], { conv, reader: bob.id, seq: 5 });
      const list = await b.chat.conversations();
      assert.deepEqual(list.find((c) => c.conv === conv)?.unread, 1);
    });

    it('recalls a message: both sides are told, history shows it recalled, others cannot recall it', async () => {
      const { alice, bob, a, b, ea, eb } = await pair();
      const ack = await a.chat.send({ type: 'user', id: bob.id }, 'oops');
      await assert.rejects(b.chat.recall(ack.conv, ack.seq), (e: ClientError) => e.code === 'RECALL_REFUSED' && e.wireCode === 4009);
      await a.chat.recall(ack.conv, ack.seq);
      await waitFor(() => ea.recalled.length > 0 && eb.recalled.length > 0, 'recall events');
      assert.deepEqual(eb.recalled[0], { conv: ack.conv, seq: ack.seq, by: alice.id });
      const page = await b.chat.history(ack.conv);
      assert.deepEqual([page.messages[0]!.recalled, page.messages[0]!.payload], [true, null]);
    });

    it('reports system notices', async () => {
      const [alice, bob] = [await newUser(s()), await newUser(s())];
      const b = client(cleanup, s(), { token: bob.token });
      const eb = record(b);
      await b.connect();
      assert.equal((await asUser(s().http, alice.token, 'POST', '/api/v1/friends/requests', { to: bob.id })).status < 300, true);
      await waitFor(() => eb.notice.length > 0, 'a notice');
      assert.deepEqual([eb.notice[0]!.type, eb.notice[0]!.from], ['friend_request', alice.id]);
    });

    it('resumes from its store: pending sends go out after a restart, and only new messages are delivered', async () => {
      const [alice, bob] = [await newUser(s()), await newUser(s())];
      const conv = directConversation(alice.id, bob.id);
      const bobStore = memoryStore();
      const b = client(cleanup, s(), { token: bob.token, chat: { store: bobStore, ackDelayMs: 20 } });
      const eb = record(b);
      await b.connect();
      const a = client(cleanup, s(), { token: alice.token });
      await a.connect();
      await burst(a, { type: 'user', id: bob.id }, 3, 'before');
      await waitFor(() => eb.message.length === 3, 'first messages');
      await new Promise((r) => setTimeout(r, 100)); // the cursor is saved with the batched ack
      b.close();

      // Bob writes while he is offline: the sends wait in the store.
      const offline = client(cleanup, s(), { token: bob.token, chat: { store: bobStore } });
      const waiting = offline.chat.send({ type: 'user', id: alice.id }, 'written offline');
      offline.close();
      await assert.rejects(waiting, (e: ClientError) => e.code === 'CLOSED');
      await burst(a, { type: 'user', id: bob.id }, 2, 'while away');

      const again = client(cleanup, s(), { token: bob.token, chat: { store: bobStore } });
      const e2 = record(again);
      await again.connect();
      await waitFor(() => e2.sent.length === 1 && inConv(e2.message, conv).length === 3, 'the re-sent message and the missed ones');
      assert.deepEqual(seqs(e2.message), [4, 5, 6], 'only what this device had not seen');
      assert.equal(e2.message[2]!.payload, 'written offline');
      assert.deepEqual(again.chat.outbox(), []);
      assert.equal((await again.chat.history(conv)).lastSeq, 6, 'stored once');
    });

    it('a device without local state starts from its own delivered cursor, not its user\u2019s', async () => {
      const [alice, bob] = [await newUser(s()), await newUser(s())];
      const phone = client(cleanup, s(), { token: bob.token, deviceId: 'bob-phone', chat: { ackDelayMs: 20 } });
      const ep = record(phone);
      await phone.connect();
      const a = client(cleanup, s(), { token: alice.token });
      await a.connect();
      await burst(a, { type: 'user', id: bob.id }, 3, 'p');
      await waitFor(() => ep.message.length === 3, 'messages on the phone');
      const conv = directConversation(alice.id, bob.id);
      for (let acked = 0; acked < 3; await new Promise((r) => setTimeout(r, 50))) {
        acked = (await phone.chat.conversations()).find((c) => c.conv === conv)?.deliveredSeq ?? 0;
      }
      const laptop = client(cleanup, s(), { token: bob.token, deviceId: 'bob-laptop' });
      const el = record(laptop);
      await laptop.connect();
      await waitFor(() => el.synced.length > 0, 'the resume');
      assert.deepEqual(seqs(el.message), [1, 2, 3], 'the laptop never had them');
    });

    it('refuses what the server would refuse, with documented codes, and keeps the connection', async () => {
      const [alice] = [await newUser(s())];
      const a = client(cleanup, s(), { token: alice.token });
      const ea = record(a);
      await a.connect();
      await assert.rejects(a.chat.send({ type: 'user', id: 999_999_999 }, 'nobody'), (e: ClientError) => e.code === 'NOT_FOUND' && e.wireCode === 4004);
      await assert.rejects(a.chat.send({ type: 'user', id: alice.id }, 'myself'), (e: ClientError) => e.code === 'INVALID' && e.wireCode === 4001);
      await assert.rejects(a.chat.send({ type: 'user', id: 1 }, 'x'.repeat(5000)), (e: ClientError) => e.code === 'TOO_LARGE');
      assert.equal(ea.sendFailed.length, 2);
      assert.equal(ea.disconnected.length, 0);
      const viewer = client(cleanup, s(), { room: 'live://1' });
      await assert.rejects(viewer.chat.send({ type: 'user', id: alice.id }, 'hi'), (e: ClientError) => e.code === 'CHAT_UNAVAILABLE');
      assert.throws(() => client(cleanup, s(), { deviceId: 'bad id!' }), (e: ClientError) => e.code === 'INVALID_ARGUMENT');
    });

    it('decodes Bilibili-style compressed batches (zlib and brotli with node:zlib, zlib with DecompressionStream)', async () => {
      const room = Date.now() % 1_000_000_000;
      const viewers = [
        client(cleanup, s(), { dialect: 'bili', protover: 2, room: `live://${room}` }),
        client(cleanup, s(), { dialect: 'bili', protover: 3, room: `live://${room}`, transport: 'tcp' }),
        client(cleanup, s(), { dialect: 'bili', protover: 2, room: `live://${room}`, decompress: streamDecompress }),
      ];
      const events = viewers.map(record);
      await Promise.all(viewers.map((v) => v.connect()));
      for (const n of range(1, 20)) await post(`${s().http}/api/v1/push/room`, { operation: 1000, room: `live://${room}`, body: JSON.stringify({ cmd: 'DANMU_MSG', n }) });
      for (const e of events) {
        await waitFor(() => e.push.length >= 20, 'twenty danmaku');
        assert.deepEqual(e.push.map((p) => (p.json() as { n: number }).n), range(1, 20), 'in order');
      }
    });

    it('leaves no timer or socket behind after close()', async () => {
      const [user, other] = [await newUser(s()), await newUser(s())];
      await new Promise((r) => setTimeout(r, 200));
      const before = handles();
      const c = client(cleanup, s(), { token: user.token, heartbeatMs: 1000 });
      await c.connect();
      await c.chat.send({ type: 'user', id: other.id }, 'hello');
      await c.changeRoom('live://leak');
      c.close();
      await waitFor(() => {
        const now = handles();
        return (now.Timeout ?? 0) <= (before.Timeout ?? 0) && (now.TCPSocketWrap ?? 0) <= (before.TCPSocketWrap ?? 0);
      }, `handles back to ${JSON.stringify(before)}`, 5000).catch(() => assert.fail(`still active: ${JSON.stringify(handles())}, before: ${JSON.stringify(before)}`));
    });
  });
}
