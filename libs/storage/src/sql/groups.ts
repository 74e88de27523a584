import { text, time, timeOrNull, type SqlDialect, type SqlRow, type SqlRunner } from '../dialect.ts';
import type { Group, GroupRole } from '../storage.ts';

// Groups and their members. Arguments reach these functions checked; errors are translated by
// the caller.

const GROUP_COLUMNS = 'g.id, g.name, g.owner, g.created_at, g.dissolved_at';

function toGroup(row: SqlRow): Group {
  const dissolvedAt = timeOrNull(row.dissolved_at);
  return { id: Number(row.id), name: text(row.name), owner: Number(row.owner), createdAt: time(row.created_at), dissolvedAt };
}

/** The group row and its owner's membership in one transaction: no group is ever seen without its owner. */
export async function createGroup(d: SqlDialect, owner: number, name: string): Promise<Group> {
  const createdAt = new Date();
  const id = await d.transaction(async (tx) => {
    const { insertId } = await tx.write('INSERT INTO chat_groups (name, owner, created_at) VALUES (?, ?, ?)', [name, owner, createdAt]);
    await tx.write("INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES (?, ?, 'owner', ?)", [insertId, owner, createdAt]);
    return insertId;
  });
  return { id, name, owner, createdAt, dissolvedAt: null };
}

export async function groupById(db: SqlRunner, id: number): Promise<Group | undefined> {
  const [row] = await db.read(`SELECT ${GROUP_COLUMNS} FROM chat_groups g WHERE g.id = ?`, [id]);
  return row === undefined ? undefined : toGroup(row);
}

export async function groupRole(db: SqlRunner, groupId: number, user: number): Promise<GroupRole | undefined> {
  // The join to a live group is a second guard: dissolving deletes the members anyway.
  const [row] = await db.read(
    `SELECT m.role FROM group_members m JOIN chat_groups g ON g.id = m.group_id
      WHERE m.group_id = ? AND m.user_id = ? AND g.dissolved_at IS NULL`,
    [groupId, user],
  );
  return row === undefined ? undefined : (text(row.role) as GroupRole);
}

export async function groupMembers(db: SqlRunner, groupId: number): Promise<{ user: number; role: GroupRole }[]> {
  const rows = await db.read('SELECT user_id, role FROM group_members WHERE group_id = ? ORDER BY user_id', [groupId]);
  return rows.map((row) => ({ user: Number(row.user_id), role: text(row.role) as GroupRole }));
}

/**
 * One statement: inserts only while the group is live, nothing when the user is a member
 * already. The group row is read locked (see lockReadRows): a dissolve in progress is waited for
 * and then seen dissolved (also under READ COMMITTED, where a plain INSERT ... SELECT would read a
 * snapshot), and a dissolve waits for this insert and then deletes it too.
 */
export async function addGroupMember(d: SqlDialect, groupId: number, user: number, role: Exclude<GroupRole, 'owner'>): Promise<boolean> {
  const into = `INTO group_members (group_id, user_id, role, joined_at)
    SELECT id, ?, ?, ? FROM chat_groups WHERE id = ? AND dissolved_at IS NULL${d.lockReadRows}`;
  const { affectedRows } = await d.write(d.insertIgnore(into), [user, role, new Date(), groupId]);
  return affectedRows === 1;
}

/** True also when the member had `role` already: affectedRows counts matched rows. */
export async function setGroupRole(db: SqlRunner, groupId: number, user: number, role: Exclude<GroupRole, 'owner'>): Promise<boolean> {
  const sql = "UPDATE group_members SET role = ? WHERE group_id = ? AND user_id = ? AND role <> 'owner'";
  const { affectedRows } = await db.write(sql, [role, groupId, user]);
  return affectedRows === 1;
}

export async function removeGroupMember(db: SqlRunner, groupId: number, user: number): Promise<boolean> {
  const { affectedRows } = await db.write("DELETE FROM group_members WHERE group_id = ? AND user_id = ? AND role <> 'owner'", [groupId, user]);
  return affectedRows === 1;
}

export async function groupsOf(db: SqlRunner, user: number): Promise<Group[]> {
  const rows = await db.read(
    `SELECT ${GROUP_COLUMNS} FROM group_members m JOIN chat_groups g ON g.id = m.group_id
      WHERE m.user_id = ? AND g.dissolved_at IS NULL ORDER BY g.id`,
    [user],
  );
  return rows.map(toGroup);
}

/** Marks the group dissolved and deletes its members in one transaction; only the first call finds it live. */
export async function dissolveGroup(d: SqlDialect, groupId: number): Promise<boolean> {
  return d.transaction(async (tx) => {
    const { affectedRows } = await tx.write('UPDATE chat_groups SET dissolved_at = ? WHERE id = ? AND dissolved_at IS NULL', [new Date(), groupId]);
    if (affectedRows !== 1) {
      return false;
    }
    await tx.write('DELETE FROM group_members WHERE group_id = ?', [groupId]);
    return true;
  });
}
