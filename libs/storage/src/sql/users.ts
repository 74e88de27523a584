import { createHash } from 'node:crypto';
import { text, time, type SqlDialect, type SqlRow, type SqlRunner } from '../dialect.ts';
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

/**
 * The user an external subject maps to, created on first sight: no password (login by password
 * is impossible: no hash verifies against ""), a name no registration can take (`ext:` + 32 hex
 * digits of the subject's SHA-256; registered names have no `:`). Two processes meeting a new
 * subject at once: one transaction inserts, the other fails on the unique keys and reads its row.
 */
export async function userOfSubject(d: SqlDialect, subject: string): Promise<User> {
  const known = await mappedUser(d, subject);
  if (known) return known;
  const name = `ext:${createHash('sha256').update(subject).digest('hex').slice(0, 32)}`;
  return d.transaction(
    async (tx) => {
      const user = await createUser(tx, name, '');
      await tx.write('INSERT INTO external_users (subject, user_id, created_at) VALUES (?, ?, ?)', [subject, user.id, user.createdAt]);
      return user;
    },
    async (db, error) => (d.classify(error) === 'DUPLICATE' ? mappedUser(db, subject) : undefined),
  );
}

async function mappedUser(db: SqlRunner, subject: string): Promise<User | undefined> {
  const [row] = await db.read(`SELECT ${USER_COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')} FROM external_users e JOIN users u ON u.id = e.user_id WHERE e.subject = ?`, [subject]);
  return row === undefined ? undefined : toUser(row);
}
