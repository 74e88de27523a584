import { text, time, timeOrNull, type SqlDialect, type SqlRow, type SqlRunner } from '../dialect.ts';
import { newMessageId } from '../message-id.ts';
import type { AppendResult, ChatMessage, NewChatMessage } from '../storage.ts';

// Chat messages and their per-conversation sequence. Arguments reach these functions checked;
// errors are translated by the caller.

const MESSAGE_COLUMNS = 'conv, seq, id, sender, client_msg_id, content_type, payload, created_at, recalled_at';
const INSERT_MESSAGE = `INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`;
const BY_CLIENT_ID = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE sender = ? AND client_msg_id = ?`;
const BY_SEQ = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conv = ? AND seq = ?`;
const NEXT_SEQ = { table: 'conversations', columns: ['conv', 'last_seq'], update: 'last_seq + 1', updateArgs: [] } as const;

function toChatMessage(row: SqlRow): ChatMessage {
  return {
    id: text(row.id),
    conv: text(row.conv),
    seq: Number(row.seq),
    sender: Number(row.sender),
    clientMsgId: text(row.client_msg_id),
    contentType: text(row.content_type),
    payload: text(row.payload),
    createdAt: time(row.created_at),
    recalledAt: timeOrNull(row.recalled_at),
  };
}

/**
 * One transaction takes the conversation's next seq (conversations.last_seq + 1, its row locked
 * until the end: the appends of one conversation queue there) and inserts the message with it,
 * so a rollback gives the seq back. A duplicate (sender, client_msg_id) rolls back and resolves
 * with the stored message: the database reports a duplicate only once the other row is committed
 * (InnoDB waits for an uncommitted one; SQLite writers never overlap), so it is there to be read.
 */
export async function appendMessage(d: SqlDialect, input: NewChatMessage): Promise<AppendResult> {
  const id = newMessageId();
  const recover = async (db: SqlRunner, error: unknown): Promise<AppendResult | undefined> => {
    if (d.classify(error) !== 'DUPLICATE') return undefined;
    const [row] = await db.read(BY_CLIENT_ID, [input.sender, input.clientMsgId]);
    return row === undefined ? undefined : { message: toChatMessage(row), duplicate: true };
  };
  return d.transaction(async (tx) => {
    const seq = await d.upsertCounter(tx, { ...NEXT_SEQ, values: [input.conv, 1] });
    if (!Number.isSafeInteger(seq) || seq < 1) {
      throw new Error(`the conversations upsert returned seq ${seq}`);
    }
    // Taken under the conversation's lock: within one process createdAt grows with seq.
    const createdAt = new Date();
    const { conv, sender, clientMsgId, contentType, payload } = input;
    await tx.write(INSERT_MESSAGE, [conv, seq, id, sender, clientMsgId, contentType, payload, createdAt]);
    return { message: { id, conv, seq, sender, clientMsgId, contentType, payload, createdAt, recalledAt: null }, duplicate: false };
  }, recover);
}

/**
 * Several messages in one transaction, in the given order: each conversation's counter is moved
 * once by the number of its messages (conversations locked in sorted order, so two batches never
 * deadlock), then one multi-row insert. A (sender, client_msg_id) stored before, or repeated in
 * the batch, resolves as a duplicate of the stored (or first) message. When a concurrent writer
 * commits one of the batch's ids first, the batch is rolled back and each message appended alone.
 */
export async function appendMessages(d: SqlDialect, inputs: readonly NewChatMessage[]): Promise<AppendResult[]> {
  const [only] = inputs;
  if (inputs.length === 1 && only) return [await appendMessage(d, only)];
  try {
    return await d.transaction((tx) => appendBatch(d, tx, inputs));
  } catch (error) {
    if (d.classify(error) !== 'DUPLICATE') throw error;
    const results: AppendResult[] = [];
    for (const input of inputs) results.push(await appendMessage(d, input));
    return results;
  }
}

const clientKey = (m: Pick<NewChatMessage, 'sender' | 'clientMsgId'>) => `${m.sender}\u0000${m.clientMsgId}`;

async function appendBatch(d: SqlDialect, tx: SqlRunner, inputs: readonly NewChatMessage[]): Promise<AppendResult[]> {
  const known = await storedByClientId(tx, inputs);
  const fresh = new Set<NewChatMessage>();
  for (const input of inputs) {
    const key = clientKey(input);
    if (known.has(key)) continue;
    fresh.add(input);
    known.set(key, undefined);
  }
  const nextSeq = await reserveSeqs(d, tx, [...fresh].map((input) => input.conv));
  // Taken under the conversations' locks: within one process createdAt grows with seq.
  const createdAt = new Date();
  const rows: ChatMessage[] = [];
  for (const { conv, sender, clientMsgId, contentType, payload } of fresh) {
    const seq = nextSeq.get(conv)!;
    nextSeq.set(conv, seq + 1);
    const message = { id: newMessageId(), conv, seq, sender, clientMsgId, contentType, payload, createdAt, recalledAt: null };
    known.set(clientKey(message), message);
    rows.push(message);
  }
  if (rows.length > 0) {
    const marks = rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, NULL)').join(', ');
    const args = rows.flatMap((m) => [m.conv, m.seq, m.id, m.sender, m.clientMsgId, m.contentType, m.payload, m.createdAt]);
    await tx.write(`INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES ${marks}`, args);
  }
  return inputs.map((input) => {
    const message = known.get(clientKey(input));
    if (!message) throw new Error(`no message for client id ${input.clientMsgId}`);
    return { message, duplicate: !fresh.has(input) };
  });
}

/** The messages already stored under the inputs' (sender, client_msg_id), by clientKey(). */
async function storedByClientId(tx: SqlRunner, inputs: readonly NewChatMessage[]): Promise<Map<string, ChatMessage | undefined>> {
  const bySender = new Map<number, string[]>();
  for (const { sender, clientMsgId } of inputs) {
    const ids = bySender.get(sender);
    if (ids) ids.push(clientMsgId);
    else bySender.set(sender, [clientMsgId]);
  }
  const where = [...bySender.values()].map((ids) => `(sender = ? AND client_msg_id IN (${ids.map(() => '?').join(', ')}))`).join(' OR ');
  const args = [...bySender].flatMap(([sender, ids]) => [sender, ...ids]);
  const rows = await tx.read(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE ${where}`, args);
  return new Map(rows.map(toChatMessage).map((message) => [clientKey(message), message]));
}

/** Moves each conversation's counter by its number of messages; resolves with each one's first new seq. */
async function reserveSeqs(d: SqlDialect, tx: SqlRunner, convs: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const conv of convs) counts.set(conv, (counts.get(conv) ?? 0) + 1);
  const first = new Map<string, number>();
  for (const conv of [...counts.keys()].sort()) {
    const n = counts.get(conv)!;
    const last = await d.upsertCounter(tx, { table: 'conversations', columns: ['conv', 'last_seq'], values: [conv, n], update: 'last_seq + ?', updateArgs: [n] });
    if (!Number.isSafeInteger(last) || last < n) throw new Error(`the conversations upsert returned seq ${last}`);
    first.set(conv, last - n + 1);
  }
  return first;
}

/** Up to `limit` messages of `conv` with a seq above (after) or below (before) `seq`, the nearest ones, ascending by seq. */
export async function messagesPage(db: SqlRunner, conv: string, direction: 'after' | 'before', seq: number, limit: number): Promise<ChatMessage[]> {
  const [compare, order] = direction === 'after' ? ['>', 'ASC'] : ['<', 'DESC'];
  const sql = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conv = ? AND seq ${compare} ? ORDER BY seq ${order} LIMIT ?`;
  const rows = await db.read(sql, [conv, seq, limit]);
  const page = rows.map(toChatMessage);
  return direction === 'after' ? page : page.reverse();
}

export async function lastSeq(db: SqlRunner, conv: string): Promise<number> {
  const [row] = await db.read('SELECT last_seq FROM conversations WHERE conv = ?', [conv]);
  return Number(row?.last_seq ?? 0);
}

export async function recallMessage(db: SqlRunner, conv: string, seq: number, by: number, notBefore: Date): Promise<ChatMessage | undefined> {
  const { affectedRows } = await db.write(
    'UPDATE messages SET recalled_at = ? WHERE conv = ? AND seq = ? AND sender = ? AND created_at >= ? AND recalled_at IS NULL',
    [new Date(), conv, seq, by, notBefore],
  );
  if (affectedRows === 0) {
    return undefined;
  }
  // Nothing changes a recalled row again, so this reads our update.
  const [row] = await db.read(BY_SEQ, [conv, seq]);
  return row === undefined ? undefined : toChatMessage(row);
}
