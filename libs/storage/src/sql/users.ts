import { text, time, type SqlRow, type SqlRunner } from '../dialect.ts';
import type { User } from '../storage.ts';

// Accounts. Arguments reach these functions checked; errors are translated by the caller.

const USER_COLUMNS = 'id, name, password_hash, created_at, token_version';

function toUser(row: SqlRow): User {
  return { id: Number(row.id), name: text(row.name), passwordHash: text(row.password_hash), createdAt: time(row.created_at), tokenVersion: Number(row.token_version) };
}

export async function createUser(db: SqlRunner, name: string, passwordHash: string): Promise<User> {
  // Our clock, not the server's: the returned user equals what a later read gives.
  const createdAt = new Date();
  const { insertId } = await db.write('INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)', [name, passwordHash, createdAt]);
  return { id: insertId, name, passwordHash, createdAt, tokenVersion: 0 };
}

export async function userBy(db: SqlRunner, column: 'id' | 'name', value: number | string): Promise<User | undefined> {
  const [row] = await db.read(`SELECT ${USER_COLUMNS} FROM users WHERE ${column} = ?`, [value]);
  return row === undefined ? undefined : toUser(row);
}

/**
 * Raises the user's token version by one, and sets a new password hash with it when one is given;
 * resolves with the new version, or undefined for an unknown user. The increment is done by the
 * database, so concurrent calls each count.
 */
export async function revokeTokens(db: SqlRunner, id: number, passwordHash?: string): Promise<number | undefined> {
  const { affectedRows } = passwordHash === undefined
    ? await db.write('UPDATE users SET token_version = token_version + 1 WHERE id = ?', [id])
    : await db.write('UPDATE users SET token_version = token_version + 1, password_hash = ? WHERE id = ?', [passwordHash, id]);
  if (affectedRows === 0) return undefined;
  const [row] = await db.read('SELECT token_version FROM users WHERE id = ?', [id]);
  return row === undefined ? undefined : Number(row.token_version);
}
