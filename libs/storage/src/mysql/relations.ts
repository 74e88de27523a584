import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { FRIEND_ATTEMPTS, outcomeOfRow, type FriendAttempt } from '../friends.ts';
import { StorageError } from '../storage.ts';
import { lowHigh } from '../validate.ts';

// Friends and blocks. Arguments reach these functions checked (two different positive ids);
// errors are translated by the caller. A friendship is one row keyed (lower id, higher id).

const ACCEPT = 'UPDATE friendships SET accepted_at = ? WHERE user_low = ? AND user_high = ? AND requester = ? AND accepted_at IS NULL';
// IGNORE turns only the duplicate key into "no row": the values are checked by the caller.
const REQUEST = 'INSERT IGNORE INTO friendships (user_low, user_high, requester, requested_at) VALUES (?, ?, ?, ?)';
const PAIR = 'SELECT requester, accepted_at FROM friendships WHERE user_low = ? AND user_high = ?';

/**
 * Each step is one atomic statement on the pair's row, so concurrent calls interleave only
 * between steps; outcomeOfRow() tells when that happened and the steps run again.
 */
export async function requestFriend(pool: Pool, from: number, to: number): Promise<'requested' | 'accepted' | 'already'> {
  for (let attempt = 0; attempt < FRIEND_ATTEMPTS; attempt++) {
    const outcome = await requestOnce(pool, from, to);
    if (outcome !== 'retry') return outcome;
  }
  throw new StorageError('UNAVAILABLE', `requestFriend ${from} ${to}: the pair changed under each of ${FRIEND_ATTEMPTS} attempts`);
}

async function requestOnce(pool: Pool, from: number, to: number): Promise<FriendAttempt> {
  const [low, high] = lowHigh(from, to);
  const now = new Date();
  const [accepted] = await pool.execute<ResultSetHeader>(ACCEPT, [now, low, high, to]);
  if (accepted.affectedRows === 1) return 'accepted';
  const [inserted] = await pool.execute<ResultSetHeader>(REQUEST, [low, high, from, now]);
  if (inserted.affectedRows === 1) return 'requested';
  const [rows] = await pool.execute<RowDataPacket[]>(PAIR, [low, high]);
  const row = rows[0];
  return outcomeOfRow(from, row === undefined ? undefined : { requester: Number(row.requester), accepted: row.accepted_at !== null });
}

export async function acceptFriend(pool: Pool, user: number, from: number): Promise<boolean> {
  const [result] = await pool.execute<ResultSetHeader>(ACCEPT, [new Date(), ...lowHigh(user, from), from]);
  return result.affectedRows === 1;
}

export async function friendRequestsTo(pool: Pool, user: number): Promise<number[]> {
  const sql = `SELECT requester AS id FROM friendships WHERE user_low = ? AND requester <> ? AND accepted_at IS NULL
    UNION ALL SELECT requester FROM friendships WHERE user_high = ? AND requester <> ? AND accepted_at IS NULL ORDER BY id`;
  return ids(pool, sql, [user, user, user, user]);
}

export async function removeFriend(pool: Pool, a: number, b: number): Promise<boolean> {
  const [result] = await pool.execute<ResultSetHeader>(
    'DELETE FROM friendships WHERE user_low = ? AND user_high = ? AND accepted_at IS NOT NULL',
    lowHigh(a, b),
  );
  return result.affectedRows === 1;
}

export async function friendsOf(pool: Pool, user: number): Promise<number[]> {
  const sql = `SELECT user_high AS id FROM friendships WHERE user_low = ? AND accepted_at IS NOT NULL
    UNION ALL SELECT user_low FROM friendships WHERE user_high = ? AND accepted_at IS NOT NULL ORDER BY id`;
  return ids(pool, sql, [user, user]);
}

export async function areFriends(pool: Pool, a: number, b: number): Promise<boolean> {
  const [rows] = await pool.execute<RowDataPacket[]>(
    'SELECT 1 FROM friendships WHERE user_low = ? AND user_high = ? AND accepted_at IS NOT NULL',
    lowHigh(a, b),
  );
  return rows.length > 0;
}

export async function block(pool: Pool, user: number, target: number): Promise<boolean> {
  const [result] = await pool.execute<ResultSetHeader>('INSERT IGNORE INTO user_blocks (user_id, target, created_at) VALUES (?, ?, ?)', [
    user,
    target,
    new Date(),
  ]);
  return result.affectedRows === 1;
}

export async function unblock(pool: Pool, user: number, target: number): Promise<boolean> {
  const [result] = await pool.execute<ResultSetHeader>('DELETE FROM user_blocks WHERE user_id = ? AND target = ?', [user, target]);
  return result.affectedRows === 1;
}

export async function isBlocked(pool: Pool, by: number, target: number): Promise<boolean> {
  const [rows] = await pool.execute<RowDataPacket[]>('SELECT 1 FROM user_blocks WHERE user_id = ? AND target = ?', [by, target]);
  return rows.length > 0;
}

export async function blockedBy(pool: Pool, user: number): Promise<number[]> {
  return ids(pool, 'SELECT target AS id FROM user_blocks WHERE user_id = ? ORDER BY target', [user]);
}

async function ids(pool: Pool, sql: string, args: number[]): Promise<number[]> {
  const [rows] = await pool.execute<RowDataPacket[]>(sql, args);
  return rows.map((row) => Number(row.id));
}
