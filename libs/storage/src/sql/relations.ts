import type { SqlDialect, SqlRunner, SqlValue } from '../dialect.ts';
import { StorageError } from '../storage.ts';
import { lowHigh } from '../validate.ts';

// Friends and blocks. Arguments reach these functions checked (two different positive ids);
// errors are translated by the caller. A friendship is one row keyed (lower id, higher id).

const ACCEPT = 'UPDATE friendships SET accepted_at = ? WHERE user_low = ? AND user_high = ? AND requester = ? AND accepted_at IS NULL';
const REQUEST = 'INTO friendships (user_low, user_high, requester, requested_at) VALUES (?, ?, ?, ?)';
const PAIR = 'SELECT requester, accepted_at FROM friendships WHERE user_low = ? AND user_high = ?';

/** Attempts before requestFriend() gives up with UNAVAILABLE; each retry needs a concurrent change. */
const FRIEND_ATTEMPTS = 5;

type FriendAttempt = 'requested' | 'accepted' | 'already' | 'retry';

/**
 * Three steps on the pair's one row, each one atomic statement: (1) accept a pending reverse
 * request; else (2) insert our request unless the row exists; else (3) read the row. Concurrent
 * calls interleave only between the steps; when the row changed between them (a reverse request
 * arrived after step 1, or the row went away after step 2), the steps run again.
 */
export async function requestFriend(d: SqlDialect, from: number, to: number): Promise<'requested' | 'accepted' | 'already'> {
  for (let attempt = 0; attempt < FRIEND_ATTEMPTS; attempt++) {
    const outcome = await requestOnce(d, from, to);
    if (outcome !== 'retry') return outcome;
  }
  throw new StorageError('UNAVAILABLE', `requestFriend ${from} ${to}: the pair changed under each of ${FRIEND_ATTEMPTS} attempts`);
}

async function requestOnce(d: SqlDialect, from: number, to: number): Promise<FriendAttempt> {
  const [low, high] = lowHigh(from, to);
  const now = new Date();
  const accepted = await d.write(ACCEPT, [now, low, high, to]);
  if (accepted.affectedRows === 1) return 'accepted';
  const inserted = await d.write(d.insertIgnore(REQUEST), [low, high, from, now]);
  if (inserted.affectedRows === 1) return 'requested';
  const [row] = await d.read(PAIR, [low, high]);
  if (row === undefined) return 'retry';
  if (row.accepted_at !== null) return 'already';
  return Number(row.requester) === from ? 'requested' : 'retry';
}

export async function acceptFriend(db: SqlRunner, user: number, from: number): Promise<boolean> {
  const { affectedRows } = await db.write(ACCEPT, [new Date(), ...lowHigh(user, from), from]);
  return affectedRows === 1;
}

export async function friendRequestsTo(db: SqlRunner, user: number): Promise<number[]> {
  const sql = `SELECT requester AS id FROM friendships WHERE user_low = ? AND requester <> ? AND accepted_at IS NULL
    UNION ALL SELECT requester FROM friendships WHERE user_high = ? AND requester <> ? AND accepted_at IS NULL ORDER BY id`;
  return ids(db, sql, [user, user, user, user]);
}

export async function removeFriend(db: SqlRunner, a: number, b: number): Promise<boolean> {
  const { affectedRows } = await db.write('DELETE FROM friendships WHERE user_low = ? AND user_high = ? AND accepted_at IS NOT NULL', lowHigh(a, b));
  return affectedRows === 1;
}

export async function friendsOf(db: SqlRunner, user: number): Promise<number[]> {
  const sql = `SELECT user_high AS id FROM friendships WHERE user_low = ? AND accepted_at IS NOT NULL
    UNION ALL SELECT user_low FROM friendships WHERE user_high = ? AND accepted_at IS NOT NULL ORDER BY id`;
  return ids(db, sql, [user, user]);
}

export async function areFriends(db: SqlRunner, a: number, b: number): Promise<boolean> {
  const rows = await db.read('SELECT 1 FROM friendships WHERE user_low = ? AND user_high = ? AND accepted_at IS NOT NULL', lowHigh(a, b));
  return rows.length > 0;
}

export async function block(d: SqlDialect, user: number, target: number): Promise<boolean> {
  const sql = d.insertIgnore('INTO user_blocks (user_id, target, created_at) VALUES (?, ?, ?)');
  const { affectedRows } = await d.write(sql, [user, target, new Date()]);
  return affectedRows === 1;
}

export async function unblock(db: SqlRunner, user: number, target: number): Promise<boolean> {
  const { affectedRows } = await db.write('DELETE FROM user_blocks WHERE user_id = ? AND target = ?', [user, target]);
  return affectedRows === 1;
}

export async function isBlocked(db: SqlRunner, by: number, target: number): Promise<boolean> {
  const rows = await db.read('SELECT 1 FROM user_blocks WHERE user_id = ? AND target = ?', [by, target]);
  return rows.length > 0;
}

export async function blockedBy(db: SqlRunner, user: number): Promise<number[]> {
  return ids(db, 'SELECT target AS id FROM user_blocks WHERE user_id = ? ORDER BY target', [user]);
}

async function ids(db: SqlRunner, sql: string, args: readonly SqlValue[]): Promise<number[]> {
  const rows = await db.read(sql, args);
  return rows.map((row) => Number(row.id));
}
