import type { Client, Row } from '@libsql/client';
import { newMessageId } from '../message-id.ts';
import { StorageError, type AppendResult, type ChatMessage, type NewChatMessage } from '../storage.ts';
import { toStorageError } from './errors.ts';

export const MESSAGE_COLUMNS = 'conv, seq, id, sender, client_msg_id, content_type, payload, created_at, recalled_at';

export function toChatMessage(row: Row): ChatMessage {
  return {
    id: String(row.id),
    conv: String(row.conv),
    seq: Number(row.seq),
    sender: Number(row.sender),
    clientMsgId: String(row.client_msg_id),
    contentType: String(row.content_type),
    payload: String(row.payload),
    createdAt: new Date(Number(row.created_at)),
    recalledAt: row.recalled_at === null ? null : new Date(Number(row.recalled_at)),
  };
}

const NEXT_SEQ = 'INSERT INTO conversations (conv, last_seq) VALUES (?, 1) ON CONFLICT (conv) DO UPDATE SET last_seq = last_seq + 1';
const INSERT_MESSAGE = `INSERT INTO messages (${MESSAGE_COLUMNS})
  SELECT conv, last_seq, ?, ?, ?, ?, ?, ?, NULL FROM conversations WHERE conv = ? RETURNING seq`;
const BY_CLIENT_ID = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE sender = ? AND client_msg_id = ?`;

/**
 * appendMessage() on SQLite: one batch in a BEGIN IMMEDIATE transaction (libsql's 'write' mode)
 * increments conversations.last_seq and inserts the message with that seq. The write lock
 * serialises appends across connections and processes, and the batch runs synchronously on its
 * connection: no other work of this process runs while the lock is held (and, the driver being
 * synchronous, waiting up to busyTimeoutMs for another process' lock blocks this event loop). A
 * failed statement rolls the whole batch back, the seq with it. A duplicate (sender,
 * client_msg_id) resolves with the stored message, committed by whoever held the lock before.
 */
export async function appendSqlite(client: Client, input: NewChatMessage, what: string): Promise<AppendResult> {
  const id = newMessageId();
  const createdAt = new Date();
  const { conv, sender, clientMsgId, contentType, payload } = input;
  try {
    const [, inserted] = await client.batch(
      [
        { sql: NEXT_SEQ, args: [conv] },
        { sql: INSERT_MESSAGE, args: [id, sender, clientMsgId, contentType, payload, createdAt.getTime(), conv] },
      ],
      'write',
    );
    const seq = Number(inserted?.rows[0]?.seq);
    if (!Number.isSafeInteger(seq) || seq < 1) {
      throw new Error(`the message insert returned seq ${String(inserted?.rows[0]?.seq)}`);
    }
    return { message: { id, conv, seq, sender, clientMsgId, contentType, payload, createdAt, recalledAt: null }, duplicate: false };
  } catch (error) {
    const translated = toStorageError(error, what);
    if (translated instanceof StorageError && translated.code === 'DUPLICATE') {
      const { rows } = await client.execute({ sql: BY_CLIENT_ID, args: [sender, clientMsgId] });
      if (rows[0] !== undefined) {
        return { message: toChatMessage(rows[0]), duplicate: true };
      }
    }
    throw translated;
  }
}
