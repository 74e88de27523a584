import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { newMessageId } from '../message-id.ts';
import { errorCode, inTransaction } from './transaction.ts';
import type { AppendResult, ChatMessage, NewChatMessage } from '../storage.ts';

export const MESSAGE_COLUMNS = 'conv, seq, id, sender, client_msg_id, content_type, payload, created_at, recalled_at';

export interface MessageRow extends RowDataPacket {
  conv: Buffer;
  seq: number | string;
  id: string;
  sender: number | string;
  client_msg_id: Buffer;
  content_type: string;
  payload: string;
  created_at: Date;
  recalled_at: Date | null;
}

export function toChatMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    conv: row.conv.toString('utf8'),
    seq: Number(row.seq),
    sender: Number(row.sender),
    clientMsgId: row.client_msg_id.toString('utf8'),
    contentType: row.content_type,
    payload: row.payload,
    createdAt: row.created_at,
    recalledAt: row.recalled_at,
  };
}

// Takes the conversation's next seq and locks its row until commit or rollback. LAST_INSERT_ID(x)
// makes the statement's insert id x, so the seq comes back without another round trip.
const NEXT_SEQ =
  'INSERT INTO conversations (conv, last_seq) VALUES (?, LAST_INSERT_ID(1)) ON DUPLICATE KEY UPDATE last_seq = LAST_INSERT_ID(last_seq + 1)';
const INSERT_MESSAGE = `INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`;
const BY_CLIENT_ID = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE sender = ? AND client_msg_id = ?`;

/**
 * appendMessage() on MySQL: one transaction increments conversations.last_seq and inserts the
 * message, so a rollback gives the seq back (and a deadlock victim is simply run again). A
 * duplicate (sender, client_msg_id) rolls back and resolves with the stored message: InnoDB
 * reports a duplicate only once the other row is committed (it waits for an uncommitted one), so
 * that message is there to be read.
 */
export async function appendMysql(pool: Pool, input: NewChatMessage): Promise<AppendResult> {
  const id = newMessageId();
  return inTransaction(pool, (connection) => insertNext(connection, input, id), (connection, error) => storedDuplicate(connection, input, error));
}

async function insertNext(connection: PoolConnection, input: NewChatMessage, id: string): Promise<AppendResult> {
  const [counter] = await connection.execute<ResultSetHeader>(NEXT_SEQ, [input.conv]);
  const seq = Number(counter.insertId);
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw new Error(`conversations upsert returned seq ${String(counter.insertId)}`);
  }
  // Taken under the conversation's lock: within one process createdAt grows with seq.
  const createdAt = new Date();
  const { conv, sender, clientMsgId, contentType, payload } = input;
  await connection.execute(INSERT_MESSAGE, [conv, seq, id, sender, clientMsgId, contentType, payload, createdAt]);
  return { message: { id, conv, seq, sender, clientMsgId, contentType, payload, createdAt, recalledAt: null }, duplicate: false };
}

// On the same connection, outside the rolled-back transaction: taking another from the pool while
// holding this one could wait forever once every connection is held by such a lookup.
async function storedDuplicate(connection: PoolConnection, input: NewChatMessage, error: unknown): Promise<AppendResult | undefined> {
  if (errorCode(error) !== 'ER_DUP_ENTRY') return undefined;
  const [rows] = await connection.execute<MessageRow[]>(BY_CLIENT_ID, [input.sender, input.clientMsgId]);
  return rows[0] === undefined ? undefined : { message: toChatMessage(rows[0]), duplicate: true };
}
