import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Group, GroupRole } from '../storage.ts';
import { inTransaction } from './transaction.ts';

// Arguments reach these functions checked (see validate.ts); errors are translated by the caller.

interface GroupRow extends RowDataPacket {
  id: number | string;
  name: string;
  owner: number | string;
  created_at: Date;
  dissolved_at: Date | null;
}

const GROUP_COLUMNS = 'g.id, g.name, g.owner, g.created_at, g.dissolved_at';

function toGroup(row: GroupRow): Group {
  return { id: Number(row.id), name: row.name, owner: Number(row.owner), createdAt: row.created_at, dissolvedAt: row.dissolved_at };
}

/** The group row and its owner's membership in one transaction: no group is ever seen without its owner. */
export async function createGroup(pool: Pool, owner: number, name: string): Promise<Group> {
  const createdAt = new Date();
  const id = await inTransaction(pool, async (connection) => {
    const [result] = await connection.execute<ResultSetHeader>('INSERT INTO chat_groups (name, owner, created_at) VALUES (?, ?, ?)', [
      name,
      owner,
      createdAt,
    ]);
    const id = Number(result.insertId);
    await connection.execute("INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES (?, ?, 'owner', ?)", [id, owner, createdAt]);
    return id;
  });
  return { id, name, owner, createdAt, dissolvedAt: null };
}

export async function groupById(pool: Pool, id: number): Promise<Group | undefined> {
  const [rows] = await pool.execute<GroupRow[]>(`SELECT ${GROUP_COLUMNS} FROM chat_groups g WHERE g.id = ?`, [id]);
  return rows[0] === undefined ? undefined : toGroup(rows[0]);
}

export async function groupRole(pool: Pool, groupId: number, user: number): Promise<GroupRole | undefined> {
  // The join to a live group is a second guard: dissolving deletes the members anyway.
  const [rows] = await pool.execute<RowDataPacket[]>(
    `SELECT m.role FROM group_members m JOIN chat_groups g ON g.id = m.group_id
      WHERE m.group_id = ? AND m.user_id = ? AND g.dissolved_at IS NULL`,
    [groupId, user],
  );
  return rows[0]?.role as GroupRole | undefined;
}

export async function groupMembers(pool: Pool, groupId: number): Promise<{ user: number; role: GroupRole }[]> {
  const [rows] = await pool.execute<RowDataPacket[]>('SELECT user_id, role FROM group_members WHERE group_id = ? ORDER BY user_id', [groupId]);
  return rows.map((row) => ({ user: Number(row.user_id), role: row.role as GroupRole }));
}

/**
 * Inserts only while the group is live. The locking read of the group row waits for a dissolve
 * in progress and then sees it dissolved (also under READ COMMITTED, where a plain INSERT ...
 * SELECT would read a snapshot); dissolving waits for this insert and then deletes it too.
 * IGNORE turns only the duplicate key into "no row": the other values are checked by the caller.
 */
export async function addGroupMember(pool: Pool, groupId: number, user: number, role: Exclude<GroupRole, 'owner'>): Promise<boolean> {
  const [result] = await pool.execute<ResultSetHeader>(
    `INSERT IGNORE INTO group_members (group_id, user_id, role, joined_at)
      SELECT id, ?, ?, ? FROM chat_groups WHERE id = ? AND dissolved_at IS NULL LOCK IN SHARE MODE`,
    [user, role, new Date(), groupId],
  );
  return result.affectedRows === 1;
}

// mysql2 connects with CLIENT_FOUND_ROWS, so affectedRows of an UPDATE counts matched rows, like
// SQLite's changes(): setting the role a member already has resolves true in both.
export async function setGroupRole(pool: Pool, groupId: number, user: number, role: Exclude<GroupRole, 'owner'>): Promise<boolean> {
  const [result] = await pool.execute<ResultSetHeader>(
    "UPDATE group_members SET role = ? WHERE group_id = ? AND user_id = ? AND role <> 'owner'",
    [role, groupId, user],
  );
  return result.affectedRows === 1;
}

export async function removeGroupMember(pool: Pool, groupId: number, user: number): Promise<boolean> {
  const [result] = await pool.execute<ResultSetHeader>("DELETE FROM group_members WHERE group_id = ? AND user_id = ? AND role <> 'owner'", [
    groupId,
    user,
  ]);
  return result.affectedRows === 1;
}

export async function groupsOf(pool: Pool, user: number): Promise<Group[]> {
  const [rows] = await pool.execute<GroupRow[]>(
    `SELECT ${GROUP_COLUMNS} FROM group_members m JOIN chat_groups g ON g.id = m.group_id
      WHERE m.user_id = ? AND g.dissolved_at IS NULL ORDER BY g.id`,
    [user],
  );
  return rows.map(toGroup);
}

/** Marks the group dissolved and deletes its members in one transaction; only the first call finds it live. */
export async function dissolveGroup(pool: Pool, groupId: number): Promise<boolean> {
  return inTransaction(pool, async (connection) => {
    const [result] = await connection.execute<ResultSetHeader>('UPDATE chat_groups SET dissolved_at = ? WHERE id = ? AND dissolved_at IS NULL', [
      new Date(),
      groupId,
    ]);
    if (result.affectedRows !== 1) {
      return false;
    }
    await connection.execute('DELETE FROM group_members WHERE group_id = ?', [groupId]);
    return true;
  });
}
