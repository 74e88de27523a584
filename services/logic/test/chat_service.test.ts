import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Op } from '@imcluster/protocol';
import { chatFixture, createUsers, failing, type ChatFixture, type ChatFixtureOptions } from './helpers.ts';

// Reply codes as docs/protocol.md ("Chat operations") documents them.
const OK = 0;
const INVALID = 4001;
const FORBIDDEN = 4003;
const NOT_FOUND = 4004;
const RECALL_REFUSED = 4009;
const TOO_LARGE = 4013;
const DUPLICATE = 4022;
const UNAVAILABLE = 4503;
const OUTCOME_UNKNOWN = 4504;

interface Ack {
  code: number;
  client_msg_id?: string;
  msg_id?: string;
  conv?: string;
  seq?: number;
  ts?: number;
  message?: string;
}

interface SyncReply {
  code: number;
  messages: { seq: number; from: number; payload: string | null; recalled?: boolean; msg_id: string }[];
  last_seq: number;
  read_seq: number;
  unread: number;
  more: boolean;
}

interface ListReply {
  code: number;
  conversations: { conv: string; last_seq: number; read_seq: number; unread: number; delivered_seq: number }[];
}

let ids = 0;

function sendTo(f: ChatFixture, from: number, to: number, payload = 'hello', clientMsgId = `c-${++ids}`) {
  return f.call<Ack>(from, Op.SendMsg, { client_msg_id: clientMsgId, to: { type: 'user', id: to }, payload });
}

function sendToGroup(f: ChatFixture, from: number, group: number, payload = 'hi all', clientMsgId = `g-${++ids}`) {
  return f.call<Ack>(from, Op.SendMsg, { client_msg_id: clientMsgId, to: { type: 'group', id: group }, payload });
}

async function sendMany(f: ChatFixture, from: number, to: number, count: number): Promise<Ack[]> {
  const acks: Ack[] = [];
  for (let i = 1; i <= count; i++) acks.push((await sendTo(f, from, to, `m${i}`)).body!);
  return acks;
}

async function setup(t: TestContext, options: ChatFixtureOptions = {}) {
  const f = await chatFixture(t, options);
  const [alice, bob, carol] = (await createUsers(f.storage, 3)) as [number, number, number];
  return { f, alice, bob, carol, conv: `u:${Math.min(alice, bob)}:${Math.max(alice, bob)}` };
}

describe('ChatService: send (op 4)', () => {
  it('stores the message, then acks it with its seq and delivers op 20 to both users under the conversation key, naming the stored message', async (t) => {
    const { f, alice, bob, conv } = await setup(t);
    const reply = await sendTo(f, alice, bob, 'hello bob', 'first');
    assert.equal(reply.op, Op.SendMsgReply);
    const ack = reply.body!;
    assert.equal(ack.code, OK);
    assert.equal(ack.client_msg_id, 'first');
    assert.equal(ack.conv, conv);
    assert.equal(ack.seq, 1);
    const [stored] = await f.storage.messagesAfter(conv, 0, 10);
    assert.equal(stored?.id, ack.msg_id);
    assert.equal(stored?.payload, 'hello bob');
    assert.equal(stored?.sender, alice);
    assert.equal(stored?.createdAt.getTime(), ack.ts);
    const delivered = f.producer.pushes(Op.ChatMessage);
    assert.equal(delivered.length, 1);
    assert.deepEqual([...delivered[0]!.mids].sort(), [alice, bob].sort());
    assert.deepEqual(delivered[0]!.keys, [`conv:${conv}`], 'one queue message under the conversation key');
    assert.equal(delivered[0]!.force, true, 'chat bypasses the accept filter');
    assert.deepEqual(delivered[0]!.chat, { conv, seq: 1 }, 'comets re-send what names a stored message until it is acknowledged');
    assert.deepEqual(delivered[0]!.body, { conv, seq: 1, msg_id: ack.msg_id, from: alice, content_type: 'text', payload: 'hello bob', ts: ack.ts });
  });

  it('moves the sender\'s read cursor to its own message, not the receiver\'s', async (t) => {
    const { f, alice, bob, conv } = await setup(t);
    await sendMany(f, alice, bob, 2);
    const read = async (mid: number) => (await f.storage.conversationsOf(mid, [conv]))[0]?.read;
    assert.equal(await read(alice), 2);
    assert.equal(await read(bob), 0);
  });

  it('numbers a conversation 1, 2, 3 whoever sends, and lists it for both users', async (t) => {
    const { f, alice, bob, conv } = await setup(t);
    const seqs = [(await sendTo(f, alice, bob)).body!.seq, (await sendTo(f, bob, alice)).body!.seq, (await sendTo(f, alice, bob)).body!.seq];
    assert.deepEqual(seqs, [1, 2, 3]);
    assert.deepEqual(await f.storage.directConversationsOf(alice, 10), [conv]);
    assert.deepEqual(await f.storage.directConversationsOf(bob, 10), [conv]);
  });

  it('answers a retry (same client_msg_id, target and body) with exactly the original ack, stores nothing new and delivers the same message again', async (t) => {
    const { f, alice, bob, conv } = await setup(t);
    const first = (await sendTo(f, alice, bob, 'once', 'retry-me')).body!;
    const again = (await sendTo(f, alice, bob, 'once', 'retry-me')).body!;
    assert.deepEqual(again, first);
    assert.equal(await f.storage.lastSeq(conv), 1);
    // The first attempt may have stopped between storing and delivering; receivers drop a seq they hold.
    const delivered = f.producer.pushes<{ msg_id: string; seq: number }>(Op.ChatMessage);
    assert.deepEqual(delivered.map((d) => [d.body.msg_id, d.body.seq]), [
      [first.msg_id, 1],
      [first.msg_id, 1],
    ]);
  });

  it('refuses (4022) a reused client_msg_id with another body or content type, and stores and delivers nothing', async (t) => {
    const { f, alice, bob, conv } = await setup(t);
    await sendTo(f, alice, bob, 'once', 'reused');
    const changed = (await sendTo(f, alice, bob, 'changed text', 'reused')).body!;
    assert.deepEqual({ code: changed.code, client_msg_id: changed.client_msg_id, seq: changed.seq }, { code: DUPLICATE, client_msg_id: 'reused', seq: undefined });
    assert.equal(typeof changed.message, 'string');
    const retyped = await f.call<Ack>(alice, Op.SendMsg, { client_msg_id: 'reused', to: { type: 'user', id: bob }, content_type: 'image', payload: 'once' });
    assert.equal(retyped.body?.code, DUPLICATE);
    assert.equal(await f.storage.lastSeq(conv), 1);
    assert.equal((await f.storage.messagesAfter(conv, 0, 10))[0]?.payload, 'once');
    assert.equal(f.producer.pushes(Op.ChatMessage).length, 1);
  });

  it('refuses (4022) a reused client_msg_id to another target: nothing reaches that conversation', async (t) => {
    const { f, alice, bob, carol } = await setup(t);
    await sendTo(f, alice, bob, 'to bob', 'reused');
    const again = (await sendTo(f, alice, carol, 'to bob', 'reused')).body!;
    assert.equal(again.code, DUPLICATE);
    assert.equal(again.conv, undefined);
    assert.equal(await f.storage.lastSeq(`u:${Math.min(alice, carol)}:${Math.max(alice, carol)}`), 0);
    assert.deepEqual(await f.storage.directConversationsOf(carol, 10), []);
    assert.ok(f.producer.pushes(Op.ChatMessage).every((p) => !p.mids.includes(carol)));
  });

  it('lets another sender use the same client_msg_id', async (t) => {
    const { f, alice, bob } = await setup(t);
    const a = (await sendTo(f, alice, bob, 'from alice', 'same-id')).body!;
    const b = (await sendTo(f, bob, alice, 'from bob', 'same-id')).body!;
    assert.equal(b.code, OK);
    assert.notEqual(b.msg_id, a.msg_id);
    assert.equal(b.seq, 2);
  });

  it('answers 4504 (retry, same id) when the queue refuses the delivery of a stored message; the retry delivers and acks', async (t) => {
    const { f, alice, bob, conv } = await setup(t);
    f.producer.failing = true;
    const refused = (await sendTo(f, alice, bob, 'stored, not handed on', 'queue-down')).body!;
    assert.equal(refused.code, OUTCOME_UNKNOWN);
    assert.equal(await f.storage.lastSeq(conv), 1, 'stored: sync carries it whatever the sender does');
    assert.equal(f.producer.sent.length, 0);
    f.producer.failing = false;
    const ack = (await sendTo(f, alice, bob, 'stored, not handed on', 'queue-down')).body!;
    assert.equal(ack.code, OK);
    assert.equal(ack.seq, 1, 'the retry stored nothing new');
    assert.equal(f.producer.sent.length, 1, 'the retry delivered it');
  });

  it('answers 4503 (retry) when the storage is unavailable, and delivers nothing', async (t) => {
    const { f, alice, bob, conv } = await setup(t, { seen: (storage) => failing(storage, 'appendMessages') });
    const ack = (await sendTo(f, alice, bob, 'lost?', 'during-outage')).body!;
    assert.equal(ack.code, UNAVAILABLE);
    assert.equal(ack.client_msg_id, 'during-outage');
    assert.equal(await f.storage.lastSeq(conv), 0);
    assert.equal(f.producer.sent.length, 0);
  });
});

describe('ChatService: refused sends store and deliver nothing', () => {
  const cases: { name: string; code: number; act: (s: Awaited<ReturnType<typeof setup>>) => Promise<{ body: Ack | undefined }>; before?: (s: Awaited<ReturnType<typeof setup>>) => Promise<unknown> }[] = [
    { name: 'an anonymous viewer (mid 0)', code: FORBIDDEN, act: ({ f, bob }) => sendTo(f, 0, bob) },
    { name: 'a receiver who blocked the sender', code: FORBIDDEN, before: ({ f, alice, bob }) => f.storage.block(bob, alice), act: ({ f, alice, bob }) => sendTo(f, alice, bob) },
    { name: 'a payload over the limit', code: TOO_LARGE, act: ({ f, alice, bob }) => sendTo(f, alice, bob, 'x'.repeat(101)) },
    { name: 'a payload over the limit in bytes, not characters', code: TOO_LARGE, act: ({ f, alice, bob }) => sendTo(f, alice, bob, 'é'.repeat(51)) },
    { name: 'a body that is not JSON', code: INVALID, act: ({ f, alice }) => f.call<Ack>(alice, Op.SendMsg, '{"client_msg_id":') },
    { name: 'a missing payload', code: INVALID, act: ({ f, alice, bob }) => f.call<Ack>(alice, Op.SendMsg, { client_msg_id: 'x', to: { type: 'user', id: bob } }) },
    { name: 'a client_msg_id over 64 characters', code: INVALID, act: ({ f, alice, bob }) => sendTo(f, alice, bob, 'hi', 'c'.repeat(65)) },
    { name: 'a bad target type', code: INVALID, act: ({ f, alice, bob }) => f.call<Ack>(alice, Op.SendMsg, { client_msg_id: 'x', to: { type: 'room', id: bob }, payload: 'p' }) },
    { name: 'sending to yourself', code: INVALID, act: ({ f, alice }) => sendTo(f, alice, alice) },
    { name: 'an unknown receiver', code: NOT_FOUND, act: ({ f, alice }) => sendTo(f, alice, 999_999) },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.code}`, async (t) => {
      const s = await setup(t, { maxPayload: 100 });
      await c.before?.(s);
      const { body } = await c.act(s);
      assert.equal(body?.code, c.code, JSON.stringify(body));
      assert.equal(typeof body?.message, 'string');
      assert.equal(await s.f.storage.lastSeq(s.conv), 0);
      assert.deepEqual(await s.f.storage.directConversationsOf(s.alice, 10), []);
      assert.equal(s.f.producer.sent.length, 0);
    });
  }

  it('echoes the client_msg_id in a refusal so the client can match it', async (t) => {
    const { f, alice } = await setup(t);
    const ack = (await sendTo(f, alice, alice, 'me', 'to-myself')).body!;
    assert.equal(ack.code, INVALID);
    assert.equal(ack.client_msg_id, 'to-myself');
  });

  it('with friends-only direct messages, refuses strangers (4003) and accepts friends', async (t) => {
    const { f, alice, bob, carol } = await setup(t, { friendsOnly: true });
    assert.equal((await sendTo(f, alice, bob)).body?.code, FORBIDDEN);
    await f.storage.requestFriend(alice, carol);
    await f.storage.acceptFriend(carol, alice);
    assert.equal((await sendTo(f, alice, carol)).body?.code, OK);
    assert.equal(f.producer.pushes(Op.ChatMessage).length, 1);
  });

  it('a block is one-way: the blocker may still write to the blocked user', async (t) => {
    const { f, alice, bob } = await setup(t);
    await f.storage.block(bob, alice);
    assert.equal((await sendTo(f, bob, alice)).body?.code, OK);
  });
});

describe('ChatService: groups', () => {
  it('delivers a member\'s message to every member and refuses outsiders (4003) and dissolved groups (4004)', async (t) => {
    const { f, alice, bob, carol } = await setup(t);
    const group = await f.storage.createGroup(alice, 'g');
    await f.storage.addGroupMember(group.id, bob, 'member');
    const ack = (await sendToGroup(f, bob, group.id)).body!;
    assert.equal(ack.code, OK);
    assert.equal(ack.conv, `g:${group.id}`);
    assert.deepEqual([...f.producer.pushes(Op.ChatMessage)[0]!.mids].sort(), [alice, bob].sort());

    assert.equal((await sendToGroup(f, carol, group.id)).body?.code, FORBIDDEN);
    await f.storage.dissolveGroup(group.id);
    assert.equal((await sendToGroup(f, alice, group.id)).body?.code, NOT_FOUND);
    assert.equal(await f.storage.lastSeq(`g:${group.id}`), 1);
    assert.equal(f.producer.pushes(Op.ChatMessage).length, 1);
  });
});

describe('ChatService: acknowledgements (op 21)', () => {
  it('moves the delivered cursor forward only, never past the last message, and answers nothing', async (t) => {
    const { f, alice, bob, conv } = await setup(t);
    await sendMany(f, alice, bob, 3);
    const delivered = async () => (await f.storage.conversationsOf(bob, [conv]))[0]?.delivered;

    assert.deepEqual(await f.call(bob, Op.ChatAck, { conv, seq: 2 }), { op: 0, body: undefined });
    assert.equal(await delivered(), 2);
    await f.call(bob, Op.ChatAck, { conv, seq: 1 });
    assert.equal(await delivered(), 2, 'a lower ack does not move it back');
    await f.call(bob, Op.ChatAck, { conv, seq: 99 });
    assert.equal(await delivered(), 3, 'clamped to the last seq');
  });

  it('ignores acks from outsiders and malformed acks', async (t) => {
    const { f, alice, bob, carol, conv } = await setup(t);
    await sendMany(f, alice, bob, 2);
    assert.equal((await f.call(carol, Op.ChatAck, { conv, seq: 2 })).op, 0);
    assert.equal((await f.call(bob, Op.ChatAck, { conv, seq: -1 })).op, 0);
    assert.equal((await f.storage.conversationsOf(carol, [conv]))[0]?.delivered, 0);
    assert.equal((await f.storage.conversationsOf(bob, [conv]))[0]?.delivered, 0);
  });

  it('moves the acknowledging device\'s own cursor; each device lists its own delivered_seq, the user its highest', async (t) => {
    const { f, alice, bob, conv } = await setup(t);
    await sendMany(f, alice, bob, 3);
    await f.call(bob, Op.ChatAck, { conv, seq: 2 }, 'phone');
    await f.call(bob, Op.ChatAck, { conv, seq: 1 }, 'laptop');
    const listed = async (device: string) => (await f.call<ListReply>(bob, Op.ChatConversations, {}, device)).body!.conversations[0]?.delivered_seq;
    assert.deepEqual([await listed('phone'), await listed('laptop'), await listed('tablet'), await listed('')], [2, 1, 0, 2]);
  });
});

describe('ChatService: sync (op 22)', () => {
  it('pages through a conversation with `more`, and reports last_seq, read_seq and unread', async (t) => {
    const { f, alice, bob, conv } = await setup(t);
    await sendMany(f, alice, bob, 5);
    await f.call(bob, Op.ChatRead, { conv, seq: 1 });
    const page = async (after: number) => (await f.call<SyncReply>(bob, Op.ChatSync, { conv, after, limit: 2 })).body!;

    const first = await page(0);
    assert.equal(first.code, OK);
    assert.deepEqual(first.messages.map((m) => m.seq), [1, 2]);
    assert.equal(first.more, true);
    assert.deepEqual({ last: first.last_seq, read: first.read_seq, unread: first.unread }, { last: 5, read: 1, unread: 4 });
    assert.deepEqual((await page(2)).messages.map((m) => m.seq), [3, 4]);
    const last = await page(4);
    assert.deepEqual(last.messages.map((m) => m.payload), ['m5']);
    assert.equal(last.more, false);
    assert.deepEqual((await page(5)).messages, []);
  });

  // Issue 10, finding 1: 200 messages of 3,000 bytes made one 628 KB reply.
  it('cuts a page at syncPageBytes (at least one message) and says `more`, so the client pages on', async (t) => {
    const { f, alice, bob, conv } = await setup(t, { syncPageBytes: 8000 });
    for (let i = 0; i < 6; i++) await sendTo(f, alice, bob, 'x'.repeat(3000));
    const first = (await f.call<SyncReply>(bob, Op.ChatSync, { conv, after: 0, limit: 200 })).body!;
    assert.deepEqual(first.messages.map((m) => m.seq), [1, 2]);
    assert.equal(first.more, true);
    const tight = await chatFixture(t, { syncPageBytes: 100, seen: () => f.storage });
    const one = (await tight.call<SyncReply>(bob, Op.ChatSync, { conv, after: 2, limit: 200 })).body!;
    assert.deepEqual(one.messages.map((m) => m.seq), [3], 'a message larger than the page still goes, alone');
    assert.equal(one.more, true);
  });

  it('answers op 23 with 4003 to an outsider and 4001 to a bad limit', async (t) => {
    const { f, alice, bob, carol, conv } = await setup(t);
    await sendMany(f, alice, bob, 1);
    const outsider = await f.call<SyncReply>(carol, Op.ChatSync, { conv });
    assert.equal(outsider.op, Op.ChatSyncReply);
    assert.equal(outsider.body?.code, FORBIDDEN);
    assert.equal(outsider.body?.messages, undefined);
    assert.equal((await f.call<SyncReply>(bob, Op.ChatSync, { conv, limit: 0 })).body?.code, INVALID);
    assert.equal((await f.call<SyncReply>(bob, Op.ChatSync, { conv, limit: 201 })).body?.code, INVALID);
    assert.equal((await f.call<SyncReply>(bob, Op.ChatSync, { conv: 'room:1' })).body?.code, INVALID);
  });
});

describe('ChatService: read receipts (op 24 -> op 25)', () => {
  it('raises the reader\'s cursor, never back, and tells both users when it moved (a repeated receipt sends nothing)', async (t) => {
    const { f, alice, bob, conv } = await setup(t);
    await sendMany(f, alice, bob, 3);
    const read = async (mid: number) => (await f.storage.conversationsOf(mid, [conv]))[0]?.read;
    assert.equal((await f.call(bob, Op.ChatRead, { conv, seq: 2 })).op, 0);
    assert.deepEqual([await read(bob), await read(alice)], [2, 3], 'cursors are per user (the sender read its own messages)');
    await f.call(bob, Op.ChatRead, { conv, seq: 1 });
    await f.call(bob, Op.ChatRead, { conv, seq: 50 });
    const receipts = f.producer.pushes<{ conv: string; reader: number; seq: number }>(Op.ChatReadReceipt);
    assert.deepEqual(receipts.map((r) => r.body), [
      { conv, reader: bob, seq: 2 },
      { conv, reader: bob, seq: 3 },
    ]);
    assert.deepEqual([...receipts[0]!.mids].sort(), [alice, bob].sort());
    assert.deepEqual(receipts[0]!.keys, [`conv:${conv}`], 'in the conversation\'s order with its messages');
    assert.equal(await read(bob), 3);
  });

  it('sends no receipt for an outsider\'s read', async (t) => {
    const { f, alice, bob, carol, conv } = await setup(t);
    await sendMany(f, alice, bob, 1);
    await f.call(carol, Op.ChatRead, { conv, seq: 1 });
    await f.call(bob, Op.ChatRead, { conv, seq: 0 });
    assert.equal(f.producer.pushes(Op.ChatReadReceipt).length, 0);
  });
});

describe('ChatService: blocks stop every event from the blocked user (issue 10)', () => {
  it('a blocked reader\'s receipts and recalls reach only its own devices, however many it sends', async (t) => {
    const { f, alice, bob, conv } = await setup(t);
    await sendMany(f, bob, alice, 1);
    await sendMany(f, alice, bob, 3);
    await f.storage.block(alice, bob);
    for (let seq = 2; seq <= 4; seq++) await f.call(bob, Op.ChatRead, { conv, seq });
    const receipts = f.producer.pushes(Op.ChatReadReceipt);
    assert.equal(receipts.length, 3);
    for (const receipt of receipts) assert.deepEqual(receipt.mids, [bob], 'alice blocked bob: none of his receipts reach her');
    assert.equal((await f.call<{ code: number }>(bob, Op.ChatRecall, { conv, seq: 1 })).body?.code, OK);
    assert.deepEqual(f.producer.pushes(Op.ChatRecalled).map((r) => r.mids), [[bob]]);
  });

  it('the blocker\'s own receipts still reach the blocked user (a block is one-way)', async (t) => {
    const { f, alice, bob, conv } = await setup(t);
    await sendMany(f, bob, alice, 1);
    await f.storage.block(alice, bob);
    await f.call(alice, Op.ChatRead, { conv, seq: 1 });
    assert.deepEqual([...f.producer.pushes(Op.ChatReadReceipt)[0]!.mids].sort(), [alice, bob].sort());
  });
});

describe('ChatService: conversation ids and conversations that do not exist (issue 10)', () => {
  it('refuses (4001) every spelling but the canonical one, and keeps no state for it', async (t) => {
    const { f, alice, bob, conv } = await setup(t);
    await sendMany(f, alice, bob, 2);
    const [low, high] = [Math.min(alice, bob), Math.max(alice, bob)];
    for (const other of [`u:${high}:${low}`, `u:0${low}:${high}`, `u:0:${high}`, `u:${low}:${low}`, `u:+${low}:${high}`, `g:0${low}`, `u:${low}:${high}:`]) {
      const sync = await f.call<SyncReply>(bob, Op.ChatSync, { conv: other });
      assert.equal(sync.body?.code, INVALID, other);
      assert.match(sync.body ? String((sync.body as { message?: string }).message) : '', /u:<a>:<b>/);
      assert.equal((await f.call<{ code: number }>(alice, Op.ChatRecall, { conv: other, seq: 1 })).body?.code, INVALID, other);
      await f.call(bob, Op.ChatRead, { conv: other, seq: 2 });
      await f.call(bob, Op.ChatAck, { conv: other, seq: 2 });
      assert.deepEqual(await f.storage.conversationsOf(bob, [other]), [{ conv: other, lastSeq: 0, delivered: 0, read: 0 }], other);
      assert.deepEqual(await f.storage.messagesAfter(other, 0, 10), [], other);
    }
    assert.equal(f.producer.pushes(Op.ChatReadReceipt).length, 0);
    assert.equal((await f.call<SyncReply>(bob, Op.ChatSync, { conv })).body?.code, OK, 'the canonical id works');
  });

  it('writes no cursor and sends no receipt for a conversation without messages', async (t) => {
    const { f, bob, carol } = await setup(t);
    const writes: string[] = [];
    const advance = f.storage.advanceCursor.bind(f.storage);
    f.storage.advanceCursor = (user, conv, kind, seq) => {
      writes.push(`${conv} ${kind}`);
      return advance(user, conv, kind, seq);
    };
    for (const conv of [`u:${Math.min(bob, carol)}:${Math.max(bob, carol)}`, `u:${bob}:999999999`, 'g:999999999']) {
      await f.call(bob, Op.ChatRead, { conv, seq: 5 }, 'phone');
      await f.call(bob, Op.ChatAck, { conv, seq: 5 }, 'phone');
    }
    assert.deepEqual(writes, []);
    assert.equal(f.producer.pushes(Op.ChatReadReceipt).length, 0);
  });
});

describe('ChatService: recall (op 26 -> op 27, op 28)', () => {
  it('lets the sender recall once within the window; sync then shows it recalled without payload', async (t) => {
    const { f, alice, bob, conv } = await setup(t);
    await sendMany(f, alice, bob, 2);
    const reply = await f.call(alice, Op.ChatRecall, { conv, seq: 1 });
    assert.equal(reply.op, Op.ChatRecallReply);
    assert.deepEqual(reply.body, { code: OK, conv, seq: 1 });
    const events = f.producer.pushes(Op.ChatRecalled);
    assert.deepEqual(events.map((e) => e.body), [{ conv, seq: 1, by: alice }]);
    assert.deepEqual([...events[0]!.mids].sort(), [alice, bob].sort());
    const synced = (await f.call<SyncReply>(bob, Op.ChatSync, { conv })).body!.messages;
    assert.deepEqual(
      synced.map((m) => ({ seq: m.seq, payload: m.payload, recalled: m.recalled })),
      [
        { seq: 1, payload: null, recalled: true },
        { seq: 2, payload: 'm2', recalled: undefined },
      ],
    );
    assert.equal((await f.call<Ack>(alice, Op.ChatRecall, { conv, seq: 1 })).body?.code, RECALL_REFUSED, 'only once');
  });

  it('refuses (4009) the other member, a missing message, and the sender past the window; 4003 to outsiders', async (t) => {
    const { f, alice, bob, carol, conv } = await setup(t, { recallWindowMs: 40 });
    await sendMany(f, alice, bob, 1);
    assert.equal((await f.call<Ack>(bob, Op.ChatRecall, { conv, seq: 1 })).body?.code, RECALL_REFUSED);
    assert.equal((await f.call<Ack>(alice, Op.ChatRecall, { conv, seq: 7 })).body?.code, RECALL_REFUSED);
    assert.equal((await f.call<Ack>(carol, Op.ChatRecall, { conv, seq: 1 })).body?.code, FORBIDDEN);
    await sleep(60);
    assert.equal((await f.call<Ack>(alice, Op.ChatRecall, { conv, seq: 1 })).body?.code, RECALL_REFUSED);
    assert.equal(f.producer.pushes(Op.ChatRecalled).length, 0);
    assert.equal((await f.storage.messagesAfter(conv, 0, 1))[0]?.recalledAt, null);
  });
});

describe('ChatService: conversation list (op 31 -> op 32)', () => {
  it('lists groups first, then direct conversations most recently active first, with unread counts', async (t) => {
    const { f, alice, bob, carol } = await setup(t);
    const group = await f.storage.createGroup(carol, 'g');
    await f.storage.addGroupMember(group.id, bob, 'member');
    await f.storage.createGroup(bob, 'silent group'); // no messages: not listed
    await sendMany(f, alice, bob, 3);
    await sleep(5); // a later message in the other conversation
    await sendTo(f, carol, bob);
    await sendToGroup(f, carol, group.id);
    await sendToGroup(f, bob, group.id);
    const withAlice = `u:${Math.min(alice, bob)}:${Math.max(alice, bob)}`;
    const withCarol = `u:${Math.min(carol, bob)}:${Math.max(carol, bob)}`;
    await f.call(bob, Op.ChatRead, { conv: withAlice, seq: 1 });
    await f.call(bob, Op.ChatAck, { conv: withAlice, seq: 3 });

    const reply = await f.call<ListReply>(bob, Op.ChatConversations, '');
    assert.equal(reply.op, Op.ChatConversationsReply);
    assert.equal(reply.body?.code, OK);
    assert.deepEqual(reply.body?.conversations, [
      { conv: `g:${group.id}`, last_seq: 2, read_seq: 2, unread: 0, delivered_seq: 0 }, // bob's own message is the last
      { conv: withCarol, last_seq: 1, read_seq: 0, unread: 1, delivered_seq: 0 },
      { conv: withAlice, last_seq: 3, read_seq: 1, unread: 2, delivered_seq: 3 },
    ]);
    const limited = (await f.call<ListReply>(bob, Op.ChatConversations, { limit: 2 })).body!.conversations;
    assert.deepEqual(limited.map((c) => c.conv), [`g:${group.id}`, withCarol], 'the least recently active direct one is left out');
  });

  it('drops a group the user left, and refuses a bad limit with 4001', async (t) => {
    const { f, alice, bob } = await setup(t);
    const group = await f.storage.createGroup(alice, 'g');
    await f.storage.addGroupMember(group.id, bob, 'member');
    await sendToGroup(f, alice, group.id);
    assert.equal((await f.call<ListReply>(bob, Op.ChatConversations, {})).body?.conversations.length, 1);
    await f.storage.removeGroupMember(group.id, bob);
    assert.deepEqual((await f.call<ListReply>(bob, Op.ChatConversations, {})).body?.conversations, []);
    assert.equal((await f.call<ListReply>(bob, Op.ChatConversations, { limit: 0 })).body?.code, INVALID);
  });
});
