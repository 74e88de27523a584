import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { chatLimits, StorageError, type ChatMessage, type NewChatMessage, type Storage } from '../src/storage.ts';
import type { TestDatabase } from './storage.contract.ts';

const isCode = (code: StorageError['code']) => (error: unknown) => error instanceof StorageError && error.code === code;

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A group conversation id no other test uses. */
export function randomConv(): string {
  return `g:${randomBytes(4).toString('hex')}`;
}

/** A text message of `sender` in `conv` with a fresh client id. */
export function textMessage(conv: string, sender: number, text = 'hello'): NewChatMessage {
  return { conv, sender, clientMsgId: randomBytes(8).toString('hex'), contentType: 'text', payload: text };
}

/** 1, 2, ..., n. */
const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/** Every message of `conv`, read in pages. */
async function history(storage: Storage, conv: string): Promise<ChatMessage[]> {
  const all: ChatMessage[] = [];
  for (;;) {
    const page = await storage.messagesAfter(conv, all.at(-1)?.seq ?? 0, chatLimits.pageSize);
    if (page.length === 0) return all;
    all.push(...page);
  }
}

/**
 * The chat part of the Storage contract (appendMessage and what reads it back). `makeDatabase`
 * creates an empty database and registers its removal on `t`.
 */
export function chatContract(makeDatabase: (t: TestContext) => Promise<TestDatabase>): void {
  async function migrated(t: TestContext): Promise<{ db: TestDatabase; storage: Storage }> {
    const db = await makeDatabase(t);
    const storage = db.open();
    await storage.migrate();
    return { db, storage };
  }

  describe('chat messages', () => {
    it('appendMessage() numbers each conversation 1, 2, 3, ... on its own and stores what it returns', async (t) => {
      const { storage } = await migrated(t);
      const [a, b] = [randomConv(), randomConv()];
      const before = Date.now();
      const appended: ChatMessage[] = [];
      for (const conv of [a, b, a, a, b]) {
        const input = textMessage(conv, 7, `to ${conv}`);
        const { message, duplicate } = await storage.appendMessage(input);
        assert.equal(duplicate, false);
        assert.deepEqual(message, { ...input, id: message.id, seq: message.seq, createdAt: message.createdAt, recalledAt: null });
        appended.push(message);
      }
      assert.deepEqual(
        appended.map(({ conv, seq }) => [conv, seq]),
        [[a, 1], [b, 1], [a, 2], [a, 3], [b, 2]],
      );
      assert.ok(appended.every(({ id }) => UUID_V7.test(id)), 'ids are UUIDv7');
      assert.equal(new Set(appended.map(({ id }) => id)).size, appended.length, 'ids are unique');
      assert.ok(appended.every(({ createdAt }) => createdAt instanceof Date && Math.abs(createdAt.getTime() - before) < 60_000));
      assert.deepEqual(await history(storage, a), appended.filter(({ conv }) => conv === a));
      assert.deepEqual(await history(storage, b), appended.filter(({ conv }) => conv === b));
      assert.equal(await storage.lastSeq(a), 3);
      assert.equal(await storage.lastSeq(b), 2);
      assert.equal(await storage.lastSeq(randomConv()), 0);
    });

    it('keeps payloads and ids as given: Unicode, 16 KiB of UTF-8, trailing spaces, case', async (t) => {
      const { storage } = await migrated(t);
      const conv = `u:${'😀'.repeat(chatLimits.convChars - 2)}`; // 64 characters, 250 bytes of UTF-8
      const payload = `Zoë ${'😀'.repeat(4_096)}`; // over 16 KiB of UTF-8
      const inputs: NewChatMessage[] = [
        { conv, sender: 1, clientMsgId: 'ID-😀', contentType: 'text', payload },
        { conv, sender: 1, clientMsgId: 'id-😀', contentType: 'x'.repeat(chatLimits.contentTypeChars), payload: '' },
        { conv, sender: 1, clientMsgId: 'id-😀 ', contentType: 'text', payload: 'trailing space' },
        { conv, sender: 1, clientMsgId: 'é'.repeat(chatLimits.clientMsgIdChars), contentType: 'text', payload: 'a'.repeat(chatLimits.payloadBytes) },
      ];
      const stored: ChatMessage[] = [];
      for (const input of inputs) {
        const { message, duplicate } = await storage.appendMessage(input);
        assert.equal(duplicate, false, `${input.clientMsgId} is a new client id`);
        assert.deepEqual({ ...input }, { conv: message.conv, sender: message.sender, clientMsgId: message.clientMsgId, contentType: message.contentType, payload: message.payload });
        stored.push(message);
      }
      assert.deepEqual(await history(storage, conv), stored);
    });

    it('five clients appending 40 messages each to one conversation at once get exactly 1..200', async (t) => {
      const { db } = await migrated(t);
      const conv = randomConv();
      const clients = Array.from({ length: 5 }, () => db.open());
      const results = await Promise.all(
        clients.map((client, k) => Promise.all(upTo(40).map((i) => client.appendMessage(textMessage(conv, k + 1, `${k}/${i}`))))),
      );
      const messages = results.flat().map(({ message }) => message);
      assert.deepEqual(messages.map(({ seq }) => seq).sort((x, y) => x - y), upTo(200), 'no gap, no duplicate');
      const stored = await history(clients[4]!, conv);
      assert.deepEqual(stored, [...messages].sort((x, y) => x.seq - y.seq), 'stored as returned');
      assert.equal(await clients[0]!.lastSeq(conv), 200);
    });

    it('a retry with the same (sender, clientMsgId) returns the stored message and stores nothing', async (t) => {
      const { storage } = await migrated(t);
      const conv = randomConv();
      const input = textMessage(conv, 1);
      const first = await storage.appendMessage(input);
      const retry = await storage.appendMessage({ ...input, payload: 'changed on the way' });
      assert.deepEqual(retry, { message: first.message, duplicate: true });
      assert.equal(await storage.lastSeq(conv), 1, 'the retry took no seq');
      const elsewhere = await storage.appendMessage({ ...input, conv: randomConv() });
      assert.deepEqual(elsewhere, { message: first.message, duplicate: true }, 'the client id is per sender, not per conversation');

      const otherSender = await storage.appendMessage({ ...input, sender: 2 });
      assert.equal(otherSender.duplicate, false, 'another sender may use the same client id');
      assert.equal(otherSender.message.seq, 2, 'no seq was lost to the rolled-back retries');
      assert.deepEqual((await history(storage, conv)).map(({ seq, sender }) => [seq, sender]), [[1, 1], [2, 2]]);
    });

    it('ten concurrent retries of one client message, among other appends, store it once and leave no gap', async (t) => {
      const { db } = await migrated(t);
      const conv = randomConv();
      const clients = [db.open(), db.open()];
      const retried = textMessage(conv, 1);
      const others = upTo(10).map((i) => textMessage(conv, 2, `other ${i}`));
      const calls = [
        ...upTo(10).map((i) => clients[i % 2]!.appendMessage(retried)),
        ...others.map((input, i) => clients[i % 2]!.appendMessage(input)),
      ];
      const results = await Promise.all(calls);
      const retries = results.slice(0, 10);
      assert.equal(retries.filter(({ duplicate }) => !duplicate).length, 1, 'exactly one stored it');
      for (const { message } of retries) {
        assert.deepEqual(message, retries[0]!.message);
      }
      assert.equal(results.slice(10).filter(({ duplicate }) => duplicate).length, 0);
      const stored = await history(clients[0]!, conv);
      assert.deepEqual(stored.map(({ seq }) => seq), upTo(11), 'eleven messages, seqs 1..11');
      assert.equal(stored.filter(({ clientMsgId }) => clientMsgId === retried.clientMsgId).length, 1);
      assert.equal((await clients[1]!.appendMessage(textMessage(conv, 3))).message.seq, 12);
    });

    it('messagesAfter() and messagesBefore() page through 25 messages, each exactly once and in order', async (t) => {
      const { storage } = await migrated(t);
      const conv = randomConv();
      for (const i of upTo(25)) {
        await storage.appendMessage(textMessage(conv, 1, `m${i}`));
        await storage.appendMessage(textMessage(randomConv(), 1, 'noise'));
      }
      const forward: number[][] = [];
      for (let after = 0; ; ) {
        const page = await storage.messagesAfter(conv, after, 10);
        if (page.length === 0) break;
        forward.push(page.map(({ seq }) => seq));
        after = page.at(-1)!.seq;
      }
      assert.deepEqual(forward, [upTo(10), upTo(20).slice(10), upTo(25).slice(20)]);

      const backward: number[][] = [];
      for (let before = (await storage.lastSeq(conv)) + 1; ; ) {
        const page = await storage.messagesBefore(conv, before, 10);
        if (page.length === 0) break;
        backward.push(page.map(({ seq }) => seq));
        before = page[0]!.seq;
      }
      assert.deepEqual(backward, [upTo(25).slice(15), upTo(15).slice(5), upTo(5)], 'newest page first, each ascending');
      assert.deepEqual((await storage.messagesAfter(conv, 5, 3)).map(({ payload }) => payload), ['m6', 'm7', 'm8']);
      assert.deepEqual(await storage.messagesBefore(conv, 1, 10), []);
      assert.deepEqual(await storage.messagesAfter(conv, 25, 10), []);
      assert.deepEqual(await storage.messagesAfter(randomConv(), 0, 10), []);
    });

    it('recallMessage() works once, for the sender, within the window; the payload is kept', async (t) => {
      const { storage } = await migrated(t);
      const conv = randomConv();
      const { message } = await storage.appendMessage(textMessage(conv, 1, 'oops'));
      const window = new Date(message.createdAt.getTime() - 120_000);
      const tooLate = new Date(message.createdAt.getTime() + 1);

      assert.equal(await storage.recallMessage(conv, message.seq, 2, window), undefined, 'not the sender');
      assert.equal(await storage.recallMessage(conv, message.seq, 1, tooLate), undefined, 'outside the window');
      assert.equal(await storage.recallMessage(conv, message.seq + 1, 1, window), undefined, 'no such message');
      assert.equal(await storage.recallMessage(randomConv(), message.seq, 1, window), undefined, 'other conversation');
      assert.deepEqual(await storage.messagesAfter(conv, 0, 10), [message], 'nothing changed');

      const before = Date.now();
      const recalled = await storage.recallMessage(conv, message.seq, 1, message.createdAt);
      assert.ok(recalled?.recalledAt instanceof Date, 'recalled at the edge of the window');
      assert.ok(Math.abs(recalled.recalledAt.getTime() - before) < 60_000);
      assert.deepEqual(recalled, { ...message, recalledAt: recalled.recalledAt }, 'only recalledAt changes');
      assert.deepEqual(await storage.messagesAfter(conv, 0, 10), [recalled]);

      assert.equal(await storage.recallMessage(conv, message.seq, 1, window), undefined, 'a second recall does nothing');
      assert.deepEqual(await storage.messagesAfter(conv, 0, 10), [recalled]);
    });

    it('advanceCursor() never goes backwards; conversationsOf() reports lastSeq and both cursors', async (t) => {
      const { db, storage } = await migrated(t);
      const [conv, quiet, unknown] = [randomConv(), randomConv(), randomConv()];
      for (const i of upTo(30)) await storage.appendMessage(textMessage(conv, 1, `m${i}`));
      await storage.appendMessage(textMessage(quiet, 2));

      assert.equal(await storage.advanceCursor(5, conv, 'delivered', 10), 10);
      assert.equal(await storage.advanceCursor(5, conv, 'delivered', 4), 10, 'kept the higher value');
      assert.equal(await storage.advanceCursor(5, conv, 'read', 3), 3, 'kinds are independent');
      assert.equal(await storage.advanceCursor(5, conv, 'delivered', 10), 10);
      const other = db.open();
      const concurrent = await Promise.all(
        [17, 12, 25, 3, 20, 11].map((seq, i) => (i % 2 === 0 ? storage : other).advanceCursor(5, conv, 'delivered', seq)),
      );
      assert.ok(concurrent.every((seq) => seq >= 10), `never below the earlier 10: ${concurrent}`);
      assert.equal(await storage.advanceCursor(5, conv, 'delivered', 0), 25, 'the maximum of all calls');
      assert.equal(await storage.advanceCursor(6, conv, 'read', 30), 30, 'users are independent');

      assert.deepEqual(await storage.conversationsOf(5, [unknown, conv, quiet]), [
        { conv: unknown, lastSeq: 0, delivered: 0, read: 0 },
        { conv, lastSeq: 30, delivered: 25, read: 3 },
        { conv: quiet, lastSeq: 1, delivered: 0, read: 0 },
      ]);
      assert.deepEqual(await storage.conversationsOf(7, [conv]), [{ conv, lastSeq: 30, delivered: 0, read: 0 }]);
      assert.deepEqual(await storage.conversationsOf(5, []), []);
    });

    it('appendMessages() stores a batch in order with per-conversation seqs; known and repeated ids are duplicates', async (t) => {
      const { db, storage } = await migrated(t);
      const [a, b] = [randomConv(), randomConv()];
      const before = await storage.appendMessage({ ...textMessage(a, 1, 'first'), clientMsgId: 'old' });
      const batch = [
        { ...textMessage(a, 1, 'a2'), clientMsgId: 'x1' },
        { ...textMessage(b, 2, 'b1'), clientMsgId: 'y1' },
        { ...textMessage(a, 1, 'again'), clientMsgId: 'old' },
        { ...textMessage(a, 2, 'a3'), clientMsgId: 'y2' },
        { ...textMessage(a, 1, 'a2'), clientMsgId: 'x1' },
      ];
      const results = await storage.appendMessages(batch);
      assert.deepEqual(results.map((r) => [r.message.conv, r.message.seq, r.duplicate]), [
        [a, 2, false],
        [b, 1, false],
        [a, 1, true],
        [a, 3, false],
        [a, 2, true],
      ]);
      assert.deepEqual(results[2]!.message, before.message, 'a known id resolves with the stored message');
      assert.deepEqual(results[4]!.message, results[0]!.message, 'an id repeated in the batch is stored once');
      assert.deepEqual((await storage.messagesAfter(a, 0, 10)).map((m) => m.payload), ['first', 'a2', 'a3']);
      assert.deepEqual(await storage.messagesAfter(b, 0, 10), [results[1]!.message]);

      const other = db.open();
      const racing = await Promise.all(
        [storage, other, storage, other].map((s, k) => s.appendMessages(upTo(20).map((i) => ({ ...textMessage(b, 10 + k, `r${k}-${i}`), clientMsgId: `r${k}-${i}` })))),
      );
      const seqs = racing.flat().map((r) => r.message.seq).sort((x, y) => x - y);
      assert.deepEqual(seqs, upTo(80).map((i) => i + 1), 'concurrent batches: gap-free, each message once');
      for (const results of racing) {
        const mine = results.map((r) => r.message.seq);
        assert.deepEqual(mine, [...mine].sort((x, y) => x - y), 'a batch keeps its order');
      }
      await assert.rejects(storage.appendMessages([]), (e: Error & { code?: string }) => e.code === 'INVALID');
    });

    it('advanceDeviceCursor() keeps one monotonic cursor per (user, device, conversation); deviceCursors() reads them', async (t) => {
      const { storage } = await migrated(t);
      const [conv, other, never] = [randomConv(), randomConv(), randomConv()];
      assert.equal(await storage.advanceDeviceCursor(5, 'phone', conv, 7), 7);
      assert.equal(await storage.advanceDeviceCursor(5, 'phone', conv, 3), 7, 'kept the higher value');
      assert.equal(await storage.advanceDeviceCursor(5, 'laptop', conv, 2), 2, 'devices are independent');
      assert.equal(await storage.advanceDeviceCursor(6, 'phone', conv, 9), 9, 'users are independent');
      assert.equal(await storage.advanceDeviceCursor(5, 'phone', other, 1), 1);
      assert.deepEqual(await storage.deviceCursors(5, 'phone', [conv, other, never]), new Map([[conv, 7], [other, 1]]));
      assert.deepEqual(await storage.deviceCursors(5, 'laptop', [conv, other]), new Map([[conv, 2]]));
      assert.deepEqual(await storage.deviceCursors(5, 'tablet', [conv]), new Map());
      assert.deepEqual((await storage.conversationsOf(5, [conv]))[0]?.delivered, 0, 'the user cursor is separate');
      await assert.rejects(storage.advanceDeviceCursor(5, 'bad device', conv, 1), (e: Error & { code?: string }) => e.code === 'INVALID');
      await assert.rejects(storage.deviceCursors(5, '', [conv]), (e: Error & { code?: string }) => e.code === 'INVALID');
    });

    it('addDirectConversation() is idempotent and lists the conversation for both users only', async (t) => {
      const { db, storage } = await migrated(t);
      const conv = 'u:3:8';
      await storage.addDirectConversation(conv, [3, 8]);
      await storage.addDirectConversation(conv, [8, 3]);
      const other = db.open();
      await Promise.all(upTo(6).map((i) => (i % 2 ? storage : other).addDirectConversation(conv, [3, 8])));
      assert.deepEqual(await storage.directConversationsOf(3, 10), [conv]);
      assert.deepEqual(await other.directConversationsOf(8, 10), [conv], 'both users see it');
      assert.deepEqual(await storage.directConversationsOf(4, 10), [], 'nobody else does');
    });

    it('directConversationsOf() lists the most recently active first, up to the limit', async (t) => {
      const { storage } = await migrated(t);
      const [first, second, third, silent] = ['u:1:2', 'u:1:3', 'u:1:4', 'u:1:5'];
      for (const [conv, other] of [[silent, 5], [first, 2], [second, 3], [third, 4]] as const) {
        await storage.addDirectConversation(conv, [1, other]);
      }
      for (const conv of [first, second, third, first]) {
        await storage.appendMessage(textMessage(conv, 1));
        await sleep(5); // createdAt has milliseconds: keep the order unambiguous
      }
      assert.deepEqual(await storage.directConversationsOf(1, 10), [first, third, second, silent], 'without messages: last');
      assert.deepEqual(await storage.directConversationsOf(1, 2), [first, third]);
      assert.deepEqual(await storage.directConversationsOf(3, 10), [second]);
    });

    it('rejects bad input with StorageError INVALID before touching the database', async (t) => {
      const db = await makeDatabase(t);
      const unmigrated = db.open(); // no tables: an input that reached the database would fail otherwise
      const ok = textMessage(randomConv(), 1);
      const invalid = isCode('INVALID');
      const rejected: [string, () => Promise<unknown>][] = [
        ['conv of 65 characters', () => unmigrated.appendMessage({ ...ok, conv: 'g'.repeat(65) })],
        ['conv of 65 emoji', () => unmigrated.appendMessage({ ...ok, conv: '😀'.repeat(65) })],
        ['empty conv', () => unmigrated.appendMessage({ ...ok, conv: '' })],
        ['empty clientMsgId', () => unmigrated.appendMessage({ ...ok, clientMsgId: '' })],
        ['clientMsgId of 65 characters', () => unmigrated.appendMessage({ ...ok, clientMsgId: 'c'.repeat(65) })],
        ['contentType of 33 characters', () => unmigrated.appendMessage({ ...ok, contentType: 't'.repeat(33) })],
        ['payload over the byte limit', () => unmigrated.appendMessage({ ...ok, payload: 'é'.repeat(chatLimits.payloadBytes / 2 + 1) })],
        ['lone surrogate', () => unmigrated.appendMessage({ ...ok, clientMsgId: 'a\uD800' })],
        ['sender 0', () => unmigrated.appendMessage({ ...ok, sender: 0 })],
        ['sender 1.5', () => unmigrated.appendMessage({ ...ok, sender: 1.5 })],
        ['negative afterSeq', () => unmigrated.messagesAfter(ok.conv, -1, 10)],
        ['limit 0', () => unmigrated.messagesBefore(ok.conv, 10, 0)],
        ['limit above the page size', () => unmigrated.messagesAfter(ok.conv, 0, chatLimits.pageSize + 1)],
        ['lastSeq of a long conv', () => unmigrated.lastSeq('g'.repeat(65))],
        ['invalid notBefore', () => unmigrated.recallMessage(ok.conv, 1, 1, new Date(Number.NaN))],
        ['unknown cursor kind', () => unmigrated.advanceCursor(1, ok.conv, 'seen' as 'read', 1)],
        ['cursor seq NaN', () => unmigrated.advanceCursor(1, ok.conv, 'read', Number.NaN)],
        ['a long conv among others', () => unmigrated.conversationsOf(1, [ok.conv, 'g'.repeat(65)])],
        ['direct conversation of one user', () => unmigrated.addDirectConversation('u:1:1', [1, 1])],
        ['direct conversation of user 0', () => unmigrated.addDirectConversation('u:0:1', [0, 1])],
        ['empty direct conversation id', () => unmigrated.addDirectConversation('', [1, 2])],
        ['direct conversations of user 0', () => unmigrated.directConversationsOf(0, 10)],
        ['direct conversations limit 0', () => unmigrated.directConversationsOf(1, 0)],
        ['direct conversations over the page size', () => unmigrated.directConversationsOf(1, chatLimits.pageSize + 1)],
      ];
      for (const [what, call] of rejected) {
        await assert.rejects(call(), invalid, what);
      }
      const storage = db.open();
      await storage.migrate();
      assert.equal(await storage.lastSeq(ok.conv), 0, 'nothing stored');
      assert.deepEqual(await storage.messagesAfter('g'.repeat(64), 0, chatLimits.pageSize), [], 'the limits themselves are fine');
    });
  });
}
