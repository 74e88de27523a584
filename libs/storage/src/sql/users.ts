import { text, time, type SqlRow, type SqlRunner } from '../dialect.ts';
import type { User } from '../storage.ts';

// Accounts. Arguments reach these functions checked; errors are translated by the caller.

const USER_COLUMNS = 'id, name, password_hash, created_at';

function toUser(row: SqlRow): User {
  return { id: Number(row.id), name: text(row.name), passwordHash: text(row.password_hash), createdAt: time(row.created_at) };
}

export async function createUser(db: SqlRunner, name: string, passwordHash: string): Promise<User> {
  // Our clock, not the server's: the returned user equals what a later read gives.
  const createdAt = new Date();
  const { insertId } = await db.write('INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)', [name, passwordHash, createdAt]);
  return { id: insertId, name, passwordHash, createdAt };
}

export async function userBy(db: SqlRunner, column: 'id' | 'name', value: number | string): Promise<User | undefined> {
  const [row] = await db.read(`SELECT ${USER_COLUMNS} FROM users WHERE ${column} = ?`, [value]);
  return row === undefined ? undefined : toUser(row);
}
