import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { newMessageId } from '../message-id.ts';
import { rollback } from './transaction.ts';
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

// InnoDB picks a victim when concurrent upserts of a new conversation row deadlock; the victim's
// transaction is rolled back whole, so running it again is safe.
const DEADLOCK_ATTEMPTS = 3;

/**
 * appendMessage() on MySQL: one transaction increments conversations.last_seq and inserts the
 * message, so a rollback gives the seq back. A duplicate (sender, client_msg_id) rolls back and
 * resolves with the stored message: InnoDB reports a duplicate only once the other row is committed
 * (it waits for an uncommitted one), so that message is there to be read.
 */
export async function appendMysql(pool: Pool, input: NewChatMessage): Promise<AppendResult> {
  const id = newMessageId();
  for (let attempt = 1; ; attempt++) {
    try {
      return await appendOnce(pool, input, id);
    } catch (error) {
      if (errorCode(error) !== 'ER_LOCK_DEADLOCK' || attempt >= DEADLOCK_ATTEMPTS) {
        throw error;
      }
    }
  }
}

async function appendOnce(pool: Pool, input: NewChatMessage, id: string): Promise<AppendResult> {
  const connection = await pool.getConnection();
  let reusable = true;
  try {
    await connection.beginTransaction();
    try {
      const [counter] = await connection.execute<ResultSetHeader>(NEXT_SEQ, [input.conv]);
      const seq = Number(counter.insertId);
      if (!Number.isSafeInteger(seq) || seq < 1) {
        throw new Error(`conversations upsert returned seq ${String(counter.insertId)}`);
      }
      // Taken under the conversation's lock: within one process createdAt grows with seq.
      const createdAt = new Date();
      const { conv, sender, clientMsgId, contentType, payload } = input;
      await connection.execute(INSERT_MESSAGE, [conv, seq, id, sender, clientMsgId, contentType, payload, createdAt]);
      await connection.commit();
      return { message: { id, conv, seq, sender, clientMsgId, contentType, payload, createdAt, recalledAt: null }, duplicate: false };
    } catch (error) {
      reusable = await rollback(connection);
      // On this connection, now outside the transaction: taking another from the pool while
      // holding this one could wait forever once every connection is held by such a lookup.
      if (reusable && errorCode(error) === 'ER_DUP_ENTRY') {
        const [rows] = await connection.execute<MessageRow[]>(BY_CLIENT_ID, [input.sender, input.clientMsgId]);
        if (rows[0] !== undefined) {
          return { message: toChatMessage(rows[0]), duplicate: true };
        }
      }
      throw error;
    }
  } finally {
    if (reusable) {
      connection.release();
    } else {
      connection.destroy();
    }
  }
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}
