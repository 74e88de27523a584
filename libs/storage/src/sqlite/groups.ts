import type { Client, Row } from '@libsql/client';
import type { Group, GroupRole } from '../storage.ts';

// Arguments reach these functions checked (see validate.ts); errors are translated by the caller.
// Writes of more than one statement are one batch in a BEGIN IMMEDIATE transaction ('write'):
// they run synchronously on one connection and serialise with every other writer.

const GROUP_COLUMNS = 'g.id, g.name, g.owner, g.created_at, g.dissolved_at';

function toGroup(row: Row): Group {
  return {
    id: Number(row.id),
    name: String(row.name),
    owner: Number(row.owner),
    createdAt: new Date(Number(row.created_at)),
    dissolvedAt: row.dissolved_at === null ? null : new Date(Number(row.dissolved_at)),
  };
}

export async function createGroup(client: Client, owner: number, name: string): Promise<Group> {
  const createdAt = new Date();
  const [inserted] = await client.batch(
    [
      { sql: 'INSERT INTO chat_groups (name, owner, created_at) VALUES (?, ?, ?) RETURNING id', args: [name, owner, createdAt.getTime()] },
      {
        sql: "INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES (last_insert_rowid(), ?, 'owner', ?)",
        args: [owner, createdAt.getTime()],
      },
    ],
    'write',
  );
  return { id: Number(inserted!.rows[0]!.id), name, owner, createdAt, dissolvedAt: null };
}

export async function groupById(client: Client, id: number): Promise<Group | undefined> {
  const { rows } = await client.execute({ sql: `SELECT ${GROUP_COLUMNS} FROM chat_groups g WHERE g.id = ?`, args: [id] });
  return rows[0] === undefined ? undefined : toGroup(rows[0]);
}

export async function groupRole(client: Client, groupId: number, user: number): Promise<GroupRole | undefined> {
  const { rows } = await client.execute({
    sql: `SELECT m.role FROM group_members m JOIN chat_groups g ON g.id = m.group_id
      WHERE m.group_id = ? AND m.user_id = ? AND g.dissolved_at IS NULL`,
    args: [groupId, user],
  });
  return rows[0] === undefined ? undefined : (String(rows[0].role) as GroupRole);
}

export async function groupMembers(client: Client, groupId: number): Promise<{ user: number; role: GroupRole }[]> {
  const { rows } = await client.execute({ sql: 'SELECT user_id, role FROM group_members WHERE group_id = ? ORDER BY user_id', args: [groupId] });
  return rows.map((row) => ({ user: Number(row.user_id), role: String(row.role) as GroupRole }));
}

/** One statement: inserts only while the group is live, nothing when the user is a member already. */
export async function addGroupMember(client: Client, groupId: number, user: number, role: Exclude<GroupRole, 'owner'>): Promise<boolean> {
  // SQLite needs the WHERE before ON CONFLICT to parse an upsert of a SELECT; it is there.
  const { rowsAffected } = await client.execute({
    sql: `INSERT INTO group_members (group_id, user_id, role, joined_at)
      SELECT id, ?, ?, ? FROM chat_groups WHERE id = ? AND dissolved_at IS NULL ON CONFLICT DO NOTHING`,
    args: [user, role, Date.now(), groupId],
  });
  return rowsAffected === 1;
}

export async function setGroupRole(client: Client, groupId: number, user: number, role: Exclude<GroupRole, 'owner'>): Promise<boolean> {
  const { rowsAffected } = await client.execute({
    sql: "UPDATE group_members SET role = ? WHERE group_id = ? AND user_id = ? AND role <> 'owner'",
    args: [role, groupId, user],
  });
  return rowsAffected === 1;
}

export async function removeGroupMember(client: Client, groupId: number, user: number): Promise<boolean> {
  const { rowsAffected } = await client.execute({
    sql: "DELETE FROM group_members WHERE group_id = ? AND user_id = ? AND role <> 'owner'",
    args: [groupId, user],
  });
  return rowsAffected === 1;
}

export async function groupsOf(client: Client, user: number): Promise<Group[]> {
  const { rows } = await client.execute({
    sql: `SELECT ${GROUP_COLUMNS} FROM group_members m JOIN chat_groups g ON g.id = m.group_id
      WHERE m.user_id = ? AND g.dissolved_at IS NULL ORDER BY g.id`,
    args: [user],
  });
  return rows.map(toGroup);
}

export async function dissolveGroup(client: Client, groupId: number): Promise<boolean> {
  // Deleting the members of a group dissolved before (or never created) deletes nothing.
  const [dissolved] = await client.batch(
    [
      { sql: 'UPDATE chat_groups SET dissolved_at = ? WHERE id = ? AND dissolved_at IS NULL', args: [Date.now(), groupId] },
      { sql: 'DELETE FROM group_members WHERE group_id = ?', args: [groupId] },
    ],
    'write',
  );
  return dissolved!.rowsAffected === 1;
}
