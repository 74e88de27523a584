import type { Client } from '@libsql/client';
import { FRIEND_ATTEMPTS, outcomeOfRow, type FriendAttempt } from '../friends.ts';
import { StorageError } from '../storage.ts';
import { lowHigh } from '../validate.ts';

// Friends and blocks. Arguments reach these functions checked (two different positive ids);
// errors are translated by the caller. A friendship is one row keyed (lower id, higher id).

const ACCEPT = 'UPDATE friendships SET accepted_at = ? WHERE user_low = ? AND user_high = ? AND requester = ? AND accepted_at IS NULL';
const REQUEST = 'INSERT INTO friendships (user_low, user_high, requester, requested_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING';
const PAIR = 'SELECT requester, accepted_at FROM friendships WHERE user_low = ? AND user_high = ?';

/**
 * The three steps (see friends.ts) in one write batch: no other writer runs between them, so
 * the loop never turns in practice; it keeps both adapters to the same reasoning.
 */
export async function requestFriend(client: Client, from: number, to: number): Promise<'requested' | 'accepted' | 'already'> {
  for (let attempt = 0; attempt < FRIEND_ATTEMPTS; attempt++) {
    const outcome = await requestOnce(client, from, to);
    if (outcome !== 'retry') return outcome;
  }
  throw new StorageError('UNAVAILABLE', `requestFriend ${from} ${to}: the pair changed under each of ${FRIEND_ATTEMPTS} attempts`);
}

async function requestOnce(client: Client, from: number, to: number): Promise<FriendAttempt> {
  const [low, high] = lowHigh(from, to);
  const now = Date.now();
  const [accepted, inserted, pair] = await client.batch(
    [
      { sql: ACCEPT, args: [now, low, high, to] },
      { sql: REQUEST, args: [low, high, from, now] },
      { sql: PAIR, args: [low, high] },
    ],
    'write',
  );
  if (accepted!.rowsAffected === 1) return 'accepted';
  if (inserted!.rowsAffected === 1) return 'requested';
  const row = pair!.rows[0];
  return outcomeOfRow(from, row === undefined ? undefined : { requester: Number(row.requester), accepted: row.accepted_at !== null });
}

export async function acceptFriend(client: Client, user: number, from: number): Promise<boolean> {
  const { rowsAffected } = await client.execute({ sql: ACCEPT, args: [Date.now(), ...lowHigh(user, from), from] });
  return rowsAffected === 1;
}

export async function friendRequestsTo(client: Client, user: number): Promise<number[]> {
  const sql = `SELECT requester AS id FROM friendships WHERE user_low = ? AND requester <> ? AND accepted_at IS NULL
    UNION ALL SELECT requester FROM friendships WHERE user_high = ? AND requester <> ? AND accepted_at IS NULL ORDER BY id`;
  return ids(client, sql, [user, user, user, user]);
}

export async function removeFriend(client: Client, a: number, b: number): Promise<boolean> {
  const { rowsAffected } = await client.execute({
    sql: 'DELETE FROM friendships WHERE user_low = ? AND user_high = ? AND accepted_at IS NOT NULL',
    args: lowHigh(a, b),
  });
  return rowsAffected === 1;
}

export async function friendsOf(client: Client, user: number): Promise<number[]> {
  const sql = `SELECT user_high AS id FROM friendships WHERE user_low = ? AND accepted_at IS NOT NULL
    UNION ALL SELECT user_low FROM friendships WHERE user_high = ? AND accepted_at IS NOT NULL ORDER BY id`;
  return ids(client, sql, [user, user]);
}

export async function areFriends(client: Client, a: number, b: number): Promise<boolean> {
  const { rows } = await client.execute({
    sql: 'SELECT 1 FROM friendships WHERE user_low = ? AND user_high = ? AND accepted_at IS NOT NULL',
    args: lowHigh(a, b),
  });
  return rows.length > 0;
}

export async function block(client: Client, user: number, target: number): Promise<boolean> {
  const { rowsAffected } = await client.execute({
    sql: 'INSERT INTO user_blocks (user_id, target, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    args: [user, target, Date.now()],
  });
  return rowsAffected === 1;
}

export async function unblock(client: Client, user: number, target: number): Promise<boolean> {
  const { rowsAffected } = await client.execute({ sql: 'DELETE FROM user_blocks WHERE user_id = ? AND target = ?', args: [user, target] });
  return rowsAffected === 1;
}

export async function isBlocked(client: Client, by: number, target: number): Promise<boolean> {
  const { rows } = await client.execute({ sql: 'SELECT 1 FROM user_blocks WHERE user_id = ? AND target = ?', args: [by, target] });
  return rows.length > 0;
}

export async function blockedBy(client: Client, user: number): Promise<number[]> {
  return ids(client, 'SELECT target AS id FROM user_blocks WHERE user_id = ? ORDER BY target', [user]);
}

async function ids(client: Client, sql: string, args: number[]): Promise<number[]> {
  const { rows } = await client.execute({ sql, args });
  return rows.map((row) => Number(row.id));
}
