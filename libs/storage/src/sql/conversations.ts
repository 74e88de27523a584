import { text, type SqlDialect, type SqlRunner } from '../dialect.ts';
import type { ConversationState, CursorKind } from '../storage.ts';

// Read cursors and the lists of conversations. Arguments reach these functions checked; errors
// are translated by the caller.

const CURSOR_COLUMN = { delivered: 'delivered_seq', read: 'read_seq' } as const satisfies Record<CursorKind, string>;

// Placeholders of one `IN (...)` list; longer lists are read in chunks.
const IN_CHUNK = 500;

// Most recently active first: the last message of each conversation is one lookup of the
// messages (conv, seq) key. Conversations without messages come last.
const DIRECT_CONVERSATIONS = `SELECT d.conv FROM direct_conversations d
  LEFT JOIN conversations c ON c.conv = d.conv
  LEFT JOIN messages m ON m.conv = c.conv AND m.seq = c.last_seq
  WHERE d.user_id = ? ORDER BY m.created_at IS NULL, m.created_at DESC, d.conv LIMIT ?`;

/** A monotonic max in one atomic upsert: concurrent calls never move the cursor backwards. */
export async function advanceCursor(d: SqlDialect, user: number, conv: string, kind: CursorKind, seq: number): Promise<number> {
  const column = CURSOR_COLUMN[kind];
  return d.upsertCounter(d, {
    table: 'conversation_cursors',
    columns: ['user_id', 'conv', column],
    values: [user, conv, seq],
    update: d.greatest(column, '?'),
    updateArgs: [seq],
  });
}

/** The device's own delivered cursor, a monotonic max like advanceCursor(). */
export async function advanceDeviceCursor(d: SqlDialect, user: number, device: string, conv: string, seq: number): Promise<number> {
  const columns = ['user_id', 'device', 'conv', 'delivered_seq'];
  return d.upsertCounter(d, { table: 'device_cursors', columns, values: [user, device, conv, seq], update: d.greatest('delivered_seq', '?'), updateArgs: [seq] });
}

/** The device's delivered cursor of each of `convs` that has one. */
export async function deviceCursors(db: SqlRunner, user: number, device: string, convs: readonly string[]): Promise<Map<string, number>> {
  const unique = [...new Set(convs)];
  const cursors = new Map<string, number>();
  for (let i = 0; i < unique.length; i += IN_CHUNK) {
    const chunk = unique.slice(i, i + IN_CHUNK);
    const marks = chunk.map(() => '?').join(', ');
    const rows = await db.read(`SELECT conv, delivered_seq FROM device_cursors WHERE user_id = ? AND device = ? AND conv IN (${marks})`, [user, device, ...chunk]);
    for (const row of rows) cursors.set(text(row.conv), Number(row.delivered_seq));
  }
  return cursors;
}

export async function conversationsOf(db: SqlRunner, user: number, convs: readonly string[]): Promise<ConversationState[]> {
  const unique = [...new Set(convs)];
  const lastSeqs = new Map<string, number>();
  const cursors = new Map<string, { delivered: number; read: number }>();
  for (let i = 0; i < unique.length; i += IN_CHUNK) {
    const chunk = unique.slice(i, i + IN_CHUNK);
    const marks = chunk.map(() => '?').join(', ');
    // Cursors first: a last_seq read later is at least what a (clamped) cursor points to.
    const cursorRows = await db.read(
      `SELECT conv, delivered_seq, read_seq FROM conversation_cursors WHERE user_id = ? AND conv IN (${marks})`,
      [user, ...chunk],
    );
    for (const row of cursorRows) {
      cursors.set(text(row.conv), { delivered: Number(row.delivered_seq), read: Number(row.read_seq) });
    }
    for (const row of await db.read(`SELECT conv, last_seq FROM conversations WHERE conv IN (${marks})`, chunk)) {
      lastSeqs.set(text(row.conv), Number(row.last_seq));
    }
  }
  return convs.map((conv) => ({ conv, lastSeq: lastSeqs.get(conv) ?? 0, delivered: 0, read: 0, ...cursors.get(conv) }));
}

/** Idempotent: a pair listed already is left as it is. */
export async function addDirectConversation(d: SqlDialect, conv: string, [a, b]: [number, number]): Promise<void> {
  await d.write(d.insertIgnore('INTO direct_conversations (user_id, conv) VALUES (?, ?), (?, ?)'), [a, conv, b, conv]);
}

export async function directConversationsOf(db: SqlRunner, user: number, limit: number): Promise<string[]> {
  const rows = await db.read(DIRECT_CONVERSATIONS, [user, limit]);
  return rows.map((row) => text(row.conv));
}
