import { createLogger, type Logger } from '@imcluster/common';
import { createClient, type Client, type Row } from '@libsql/client';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMigrations } from './migrations.ts';
import { toStorageError } from './sqlite/errors.ts';
import * as groups from './sqlite/groups.ts';
import { appendSqlite, MESSAGE_COLUMNS, toChatMessage } from './sqlite/messages.ts';
import { migrateSqlite } from './sqlite/migrate.ts';
import * as relations from './sqlite/relations.ts';
import {
  StorageError,
  type AppendResult,
  type ChatMessage,
  type ConversationState,
  type CursorKind,
  type Group,
  type GroupRole,
  type NewChatMessage,
  type Storage,
  type User,
} from './storage.ts';
import {
  checkConv,
  checkCursorKind,
  checkDate,
  checkGroupId,
  checkGroupName,
  checkLimit,
  checkMemberRole,
  checkNewMessage,
  checkPair,
  checkSeq,
  checkUserId,
} from './validate.ts';

export interface SqliteStorageOptions {
  /** A file URL, e.g. `file:./data/imcluster.db` (relative to the working directory). */
  url: string;
  logger?: Logger;
  /** How long a write waits for another process' write lock before UNAVAILABLE. Default 5,000 ms. */
  busyTimeoutMs?: number;
}

const USER_COLUMNS = 'id, name, password_hash, created_at';

const CURSOR_COLUMN = { delivered: 'delivered_seq', read: 'read_seq' } as const satisfies Record<CursorKind, string>;

// Placeholders of one `IN (...)` list (SQLite allows 32,766); longer lists are read in chunks.
const IN_CHUNK = 500;

// Most recently active first: the last message of each conversation is one lookup of the
// messages (conv, seq) index. Conversations without messages come last.
const DIRECT_CONVERSATIONS = `SELECT d.conv FROM direct_conversations d
  LEFT JOIN conversations c ON c.conv = d.conv
  LEFT JOIN messages m ON m.conv = c.conv AND m.seq = c.last_seq
  WHERE d.user_id = ? ORDER BY m.created_at IS NULL, m.created_at DESC, d.conv LIMIT ?`;

/**
 * Storage in one SQLite file (libsql), for the single-process mode. WAL journal: readers do not
 * block the writer and a commit is durable when it returns. The file and its directory are
 * created at the first operation, not by the constructor.
 */
export class SqliteStorage implements Storage {
  readonly #url: string;
  readonly #logger: Logger;
  readonly #busyTimeoutMs: number;
  #client: Promise<Client> | undefined;

  constructor(options: SqliteStorageOptions) {
    this.#url = options.url;
    this.#logger = options.logger ?? createLogger('storage');
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  }

  async migrate(): Promise<void> {
    const migrations = await loadMigrations('sqlite');
    await this.#run('migrate', async () => {
      await this.#open(); // creates the file in WAL mode before the migrator's own connection
      await migrateSqlite(this.#url, migrations, this.#logger);
    });
  }

  async ping(): Promise<void> {
    await this.#run('ping', (client) => client.execute('SELECT 1'));
  }

  async createUser(name: string, passwordHash: string): Promise<User> {
    const createdAt = new Date();
    const { rows } = await this.#run(`createUser ${name}`, async (client) =>
      client.execute({
        sql: 'INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?) RETURNING id',
        args: [name, passwordHash, createdAt.getTime()],
      }),
    );
    return { id: Number(rows[0]!.id), name, passwordHash, createdAt };
  }

  async userById(id: number): Promise<User | undefined> {
    return this.#oneUser(`userById ${id}`, `SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, id);
  }

  async userByName(name: string): Promise<User | undefined> {
    return this.#oneUser(`userByName ${name}`, `SELECT ${USER_COLUMNS} FROM users WHERE name = ?`, name);
  }

  async appendMessage(message: NewChatMessage): Promise<AppendResult> {
    const input = checkNewMessage(message);
    const what = `appendMessage ${input.conv}`;
    return this.#run(what, (client) => appendSqlite(client, input, what));
  }

  async messagesAfter(conv: string, afterSeq: number, limit: number): Promise<ChatMessage[]> {
    const args = [checkConv(conv), checkSeq('afterSeq', afterSeq), checkLimit(limit)];
    const sql = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conv = ? AND seq > ? ORDER BY seq LIMIT ?`;
    const { rows } = await this.#run(`messagesAfter ${conv}`, (client) => client.execute({ sql, args }));
    return rows.map(toChatMessage);
  }

  async messagesBefore(conv: string, beforeSeq: number, limit: number): Promise<ChatMessage[]> {
    const args = [checkConv(conv), checkSeq('beforeSeq', beforeSeq), checkLimit(limit)];
    const sql = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conv = ? AND seq < ? ORDER BY seq DESC LIMIT ?`;
    const { rows } = await this.#run(`messagesBefore ${conv}`, (client) => client.execute({ sql, args }));
    return rows.map(toChatMessage).reverse();
  }

  async lastSeq(conv: string): Promise<number> {
    const args = [checkConv(conv)];
    const { rows } = await this.#run(`lastSeq ${conv}`, (client) => client.execute({ sql: 'SELECT last_seq FROM conversations WHERE conv = ?', args }));
    return Number(rows[0]?.last_seq ?? 0);
  }

  async recallMessage(conv: string, seq: number, by: number, notBefore: Date): Promise<ChatMessage | undefined> {
    const args = [Date.now(), checkConv(conv), checkSeq('seq', seq), checkUserId('by', by), checkDate('notBefore', notBefore).getTime()];
    const sql = `UPDATE messages SET recalled_at = ?
      WHERE conv = ? AND seq = ? AND sender = ? AND created_at >= ? AND recalled_at IS NULL RETURNING ${MESSAGE_COLUMNS}`;
    const { rows } = await this.#run(`recallMessage ${conv} ${seq}`, (client) => client.execute({ sql, args }));
    return rows[0] === undefined ? undefined : toChatMessage(rows[0]);
  }

  async advanceCursor(user: number, conv: string, kind: CursorKind, seq: number): Promise<number> {
    const column = CURSOR_COLUMN[checkCursorKind(kind)];
    const args = [checkUserId('user', user), checkConv(conv), checkSeq('seq', seq)];
    const sql = `INSERT INTO conversation_cursors (user_id, conv, ${column}) VALUES (?, ?, ?)
      ON CONFLICT (user_id, conv) DO UPDATE SET ${column} = max(${column}, excluded.${column}) RETURNING ${column} AS seq`;
    const { rows } = await this.#run(`advanceCursor ${user} ${conv} ${kind}`, (client) => client.execute({ sql, args }));
    return Number(rows[0]!.seq);
  }

  async conversationsOf(user: number, convs: readonly string[]): Promise<ConversationState[]> {
    checkUserId('user', user);
    const unique = [...new Set(convs.map(checkConv))];
    const lastSeqs = new Map<string, number>();
    const cursors = new Map<string, { delivered: number; read: number }>();
    await this.#run(`conversationsOf ${user}`, async (client) => {
      for (let i = 0; i < unique.length; i += IN_CHUNK) {
        const chunk = unique.slice(i, i + IN_CHUNK);
        const marks = chunk.map(() => '?').join(', ');
        // One read transaction: both lists come from the same snapshot.
        const [counters, rows] = await client.batch(
          [
            { sql: `SELECT conv, last_seq FROM conversations WHERE conv IN (${marks})`, args: chunk },
            { sql: `SELECT conv, delivered_seq, read_seq FROM conversation_cursors WHERE user_id = ? AND conv IN (${marks})`, args: [user, ...chunk] },
          ],
          'read',
        );
        for (const row of counters!.rows) {
          lastSeqs.set(String(row.conv), Number(row.last_seq));
        }
        for (const row of rows!.rows) {
          cursors.set(String(row.conv), { delivered: Number(row.delivered_seq), read: Number(row.read_seq) });
        }
      }
    });
    return convs.map((conv) => ({ conv, lastSeq: lastSeqs.get(conv) ?? 0, delivered: cursors.get(conv)?.delivered ?? 0, read: cursors.get(conv)?.read ?? 0 }));
  }

  async addDirectConversation(conv: string, users: [number, number]): Promise<void> {
    const [a, b] = checkPair(users[0], users[1]);
    const args = [a, checkConv(conv), b, conv];
    const sql = 'INSERT INTO direct_conversations (user_id, conv) VALUES (?, ?), (?, ?) ON CONFLICT DO NOTHING';
    await this.#run(`addDirectConversation ${conv}`, (client) => client.execute({ sql, args }));
  }

  async directConversationsOf(user: number, limit: number): Promise<string[]> {
    const args = [checkUserId('user', user), checkLimit(limit)];
    const { rows } = await this.#run(`directConversationsOf ${user}`, (client) => client.execute({ sql: DIRECT_CONVERSATIONS, args }));
    return rows.map((row) => String(row.conv));
  }

  async createGroup(owner: number, name: string): Promise<Group> {
    const args = [checkUserId('owner', owner), checkGroupName(name)] as const;
    return this.#run(`createGroup ${owner}`, (client) => groups.createGroup(client, ...args));
  }

  async groupById(id: number): Promise<Group | undefined> {
    const groupId = checkGroupId(id);
    return this.#run(`groupById ${id}`, (client) => groups.groupById(client, groupId));
  }

  async groupRole(groupId: number, user: number): Promise<GroupRole | undefined> {
    const args = [checkGroupId(groupId), checkUserId('user', user)] as const;
    return this.#run(`groupRole ${groupId} ${user}`, (client) => groups.groupRole(client, ...args));
  }

  async groupMembers(groupId: number): Promise<{ user: number; role: GroupRole }[]> {
    const id = checkGroupId(groupId);
    return this.#run(`groupMembers ${groupId}`, (client) => groups.groupMembers(client, id));
  }

  async addGroupMember(groupId: number, user: number, role: Exclude<GroupRole, 'owner'>): Promise<boolean> {
    const args = [checkGroupId(groupId), checkUserId('user', user), checkMemberRole(role)] as const;
    return this.#run(`addGroupMember ${groupId} ${user}`, (client) => groups.addGroupMember(client, ...args));
  }

  async setGroupRole(groupId: number, user: number, role: Exclude<GroupRole, 'owner'>): Promise<boolean> {
    const args = [checkGroupId(groupId), checkUserId('user', user), checkMemberRole(role)] as const;
    return this.#run(`setGroupRole ${groupId} ${user}`, (client) => groups.setGroupRole(client, ...args));
  }

  async removeGroupMember(groupId: number, user: number): Promise<boolean> {
    const args = [checkGroupId(groupId), checkUserId('user', user)] as const;
    return this.#run(`removeGroupMember ${groupId} ${user}`, (client) => groups.removeGroupMember(client, ...args));
  }

  async groupsOf(user: number): Promise<Group[]> {
    const id = checkUserId('user', user);
    return this.#run(`groupsOf ${user}`, (client) => groups.groupsOf(client, id));
  }

  async dissolveGroup(groupId: number): Promise<boolean> {
    const id = checkGroupId(groupId);
    return this.#run(`dissolveGroup ${groupId}`, (client) => groups.dissolveGroup(client, id));
  }

  async requestFriend(from: number, to: number): Promise<'requested' | 'accepted' | 'already'> {
    const pair = checkPair(from, to);
    return this.#run(`requestFriend ${from} ${to}`, (client) => relations.requestFriend(client, ...pair));
  }

  async acceptFriend(user: number, from: number): Promise<boolean> {
    const pair = checkPair(user, from);
    return this.#run(`acceptFriend ${user} ${from}`, (client) => relations.acceptFriend(client, ...pair));
  }

  async friendRequestsTo(user: number): Promise<number[]> {
    const id = checkUserId('user', user);
    return this.#run(`friendRequestsTo ${user}`, (client) => relations.friendRequestsTo(client, id));
  }

  async removeFriend(a: number, b: number): Promise<boolean> {
    const pair = checkPair(a, b);
    return this.#run(`removeFriend ${a} ${b}`, (client) => relations.removeFriend(client, ...pair));
  }

  async friendsOf(user: number): Promise<number[]> {
    const id = checkUserId('user', user);
    return this.#run(`friendsOf ${user}`, (client) => relations.friendsOf(client, id));
  }

  async areFriends(a: number, b: number): Promise<boolean> {
    // Nobody is their own friend: answered without a query, as isBlocked() does.
    if (checkUserId('user', a) === checkUserId('other user', b)) return false;
    return this.#run(`areFriends ${a} ${b}`, (client) => relations.areFriends(client, a, b));
  }

  async block(user: number, target: number): Promise<boolean> {
    const pair = checkPair(user, target);
    return this.#run(`block ${user} ${target}`, (client) => relations.block(client, ...pair));
  }

  async unblock(user: number, target: number): Promise<boolean> {
    const pair = checkPair(user, target);
    return this.#run(`unblock ${user} ${target}`, (client) => relations.unblock(client, ...pair));
  }

  async isBlocked(by: number, target: number): Promise<boolean> {
    if (checkUserId('user', by) === checkUserId('target', target)) return false;
    return this.#run(`isBlocked ${by} ${target}`, (client) => relations.isBlocked(client, by, target));
  }

  async blockedBy(user: number): Promise<number[]> {
    const id = checkUserId('user', user);
    return this.#run(`blockedBy ${user}`, (client) => relations.blockedBy(client, id));
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    (await client?.catch(() => undefined))?.close();
  }

  async #oneUser(what: string, sql: string, arg: number | string): Promise<User | undefined> {
    const { rows } = await this.#run(what, (client) => client.execute({ sql, args: [arg] }));
    const row = rows[0];
    return row === undefined ? undefined : toUser(row);
  }

  /** Opens the database once; a failed open is tried again by the next call. */
  #open(): Promise<Client> {
    if (this.#client === undefined) {
      const opening = openClient(this.#url, this.#busyTimeoutMs);
      opening.catch(() => {
        if (this.#client === opening) this.#client = undefined;
      });
      this.#client = opening;
    }
    return this.#client;
  }

  /** Runs `work` on the open client, translating driver errors into StorageErrors. */
  async #run<T>(what: string, work: (client: Client) => Promise<T>): Promise<T> {
    try {
      return await work(await this.#open());
    } catch (error) {
      throw toStorageError(error, what);
    }
  }
}

/** Directory, file, WAL mode (a property of the file, kept across opens). */
async function openClient(url: string, busyTimeoutMs: number): Promise<Client> {
  const path = localPath(url);
  if (path === undefined) {
    // The migrator opens a second connection; an in-memory database would be a different one.
    throw new Error(`SqliteStorage needs a file: URL with a path, got ${url}`);
  }
  let client: Client | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    client = createClient({ url, timeout: busyTimeoutMs });
    await client.execute('PRAGMA journal_mode = WAL');
    return client;
  } catch (error) {
    client?.close();
    throw new StorageError('UNAVAILABLE', `cannot open the SQLite database ${path}`, { cause: error });
  }
}

function toUser(row: Row): User {
  return {
    id: Number(row.id),
    name: String(row.name),
    passwordHash: String(row.password_hash),
    createdAt: new Date(Number(row.created_at)),
  };
}

/** The file path of a `file:` URL; undefined for in-memory databases. */
function localPath(url: string): string | undefined {
  if (!url.startsWith('file:') || url.includes(':memory:')) {
    return undefined;
  }
  const rest = url.slice('file:'.length).split('?')[0]!;
  return rest.startsWith('//') ? fileURLToPath(url.split('?')[0]!) : rest;
}
