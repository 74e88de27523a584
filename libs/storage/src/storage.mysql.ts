import { createLogger, type Logger } from '@imcluster/common';
import { createPool, type Pool, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { loadMigrations } from './migrations.ts';
import { toStorageError } from './mysql/errors.ts';
import * as groups from './mysql/groups.ts';
import { appendMysql, MESSAGE_COLUMNS, toChatMessage, type MessageRow } from './mysql/messages.ts';
import { migrateMysql } from './mysql/migrate.ts';
import * as relations from './mysql/relations.ts';
import type { AppendResult, ChatMessage, ConversationState, CursorKind, Group, GroupRole, NewChatMessage, Storage, User } from './storage.ts';
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

export interface MysqlStorageOptions {
  /** mysql://user:password@host:port/database */
  url: string;
  logger?: Logger;
  /** Connections of the pool. Default 10. */
  connectionLimit?: number;
  /** How long opening one connection may take before UNAVAILABLE. Default 5,000 ms. */
  connectTimeoutMs?: number;
}

interface UserRow extends RowDataPacket {
  id: number | string;
  name: string;
  password_hash: string;
  created_at: Date;
}

const USER_COLUMNS = 'id, name, password_hash, created_at';

const CURSOR_COLUMN = { delivered: 'delivered_seq', read: 'read_seq' } as const satisfies Record<CursorKind, string>;

// Placeholders of one `IN (...)` list; longer lists are read in chunks.
const IN_CHUNK = 500;

// Most recently active first: the last message of each conversation is one primary-key lookup
// of messages (conv, seq = last_seq). Conversations without messages come last.
const DIRECT_CONVERSATIONS = `SELECT d.conv FROM direct_conversations d
  LEFT JOIN conversations c ON c.conv = d.conv
  LEFT JOIN messages m ON m.conv = c.conv AND m.seq = c.last_seq
  WHERE d.user_id = ? ORDER BY m.created_at IS NULL, m.created_at DESC, d.conv LIMIT ?`;

/**
 * Storage on MySQL (or MariaDB) through a mysql2 connection pool. The pool connects lazily, so
 * the constructor does no I/O. Times are written and read as UTC.
 */
export class MysqlStorage implements Storage {
  readonly #pool: Pool;
  readonly #logger: Logger;
  #closing: Promise<void> | undefined;

  constructor(options: MysqlStorageOptions) {
    this.#logger = options.logger ?? createLogger('storage');
    this.#pool = createPool({
      uri: options.url,
      connectionLimit: options.connectionLimit ?? 10,
      connectTimeout: options.connectTimeoutMs ?? 5_000,
      timezone: 'Z',
      charset: 'utf8mb4',
      // BIGINT ids come back as numbers while they fit in 2^53 (they will).
      supportBigNumbers: true,
    });
  }

  async migrate(): Promise<void> {
    const migrations = await loadMigrations('mysql');
    await this.#run('migrate', () => migrateMysql(this.#pool, migrations, this.#logger));
  }

  async ping(): Promise<void> {
    await this.#run('ping', () => this.#pool.query('SELECT 1'));
  }

  async createUser(name: string, passwordHash: string): Promise<User> {
    // Our clock, not the server's: the returned user equals what a later read gives.
    const createdAt = new Date();
    const [result] = await this.#run(`createUser ${name}`, () =>
      this.#pool.execute<ResultSetHeader>('INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)', [
        name,
        passwordHash,
        createdAt,
      ]),
    );
    return { id: Number(result.insertId), name, passwordHash, createdAt };
  }

  async userById(id: number): Promise<User | undefined> {
    return this.#oneUser(`userById ${id}`, `SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, id);
  }

  async userByName(name: string): Promise<User | undefined> {
    return this.#oneUser(`userByName ${name}`, `SELECT ${USER_COLUMNS} FROM users WHERE name = ?`, name);
  }

  async appendMessage(message: NewChatMessage): Promise<AppendResult> {
    const input = checkNewMessage(message);
    return this.#run(`appendMessage ${input.conv}`, () => appendMysql(this.#pool, input));
  }

  async messagesAfter(conv: string, afterSeq: number, limit: number): Promise<ChatMessage[]> {
    const args = [checkConv(conv), checkSeq('afterSeq', afterSeq), checkLimit(limit)];
    // query(), not execute(): mysql2 binds numbers as DOUBLE, which MySQL 8.0.22+ refuses for LIMIT ?.
    const sql = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conv = ? AND seq > ? ORDER BY seq LIMIT ?`;
    const [rows] = await this.#run(`messagesAfter ${conv}`, () => this.#pool.query<MessageRow[]>(sql, args));
    return rows.map(toChatMessage);
  }

  async messagesBefore(conv: string, beforeSeq: number, limit: number): Promise<ChatMessage[]> {
    const args = [checkConv(conv), checkSeq('beforeSeq', beforeSeq), checkLimit(limit)];
    const sql = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conv = ? AND seq < ? ORDER BY seq DESC LIMIT ?`;
    const [rows] = await this.#run(`messagesBefore ${conv}`, () => this.#pool.query<MessageRow[]>(sql, args));
    return rows.map(toChatMessage).reverse();
  }

  async lastSeq(conv: string): Promise<number> {
    const [rows] = await this.#run(`lastSeq ${conv}`, () =>
      this.#pool.execute<RowDataPacket[]>('SELECT last_seq FROM conversations WHERE conv = ?', [checkConv(conv)]),
    );
    return Number(rows[0]?.last_seq ?? 0);
  }

  async recallMessage(conv: string, seq: number, by: number, notBefore: Date): Promise<ChatMessage | undefined> {
    const key = [checkConv(conv), checkSeq('seq', seq)];
    const args = [new Date(), ...key, checkUserId('by', by), checkDate('notBefore', notBefore)];
    return this.#run(`recallMessage ${conv} ${seq}`, async () => {
      const [result] = await this.#pool.execute<ResultSetHeader>(
        'UPDATE messages SET recalled_at = ? WHERE conv = ? AND seq = ? AND sender = ? AND created_at >= ? AND recalled_at IS NULL',
        args,
      );
      if (result.affectedRows === 0) {
        return undefined;
      }
      // No UPDATE ... RETURNING in MySQL. Nothing changes a recalled row again, so this reads our update.
      const [rows] = await this.#pool.execute<MessageRow[]>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conv = ? AND seq = ?`, key);
      return rows[0] === undefined ? undefined : toChatMessage(rows[0]);
    });
  }

  async advanceCursor(user: number, conv: string, kind: CursorKind, seq: number): Promise<number> {
    const column = CURSOR_COLUMN[checkCursorKind(kind)];
    const args = [checkUserId('user', user), checkConv(conv), checkSeq('seq', seq), seq];
    // LAST_INSERT_ID(x) hands back the stored value, inserted or kept, in the same round trip.
    const sql = `INSERT INTO conversation_cursors (user_id, conv, ${column}) VALUES (?, ?, LAST_INSERT_ID(?))
      ON DUPLICATE KEY UPDATE ${column} = LAST_INSERT_ID(GREATEST(${column}, ?))`;
    const [result] = await this.#run(`advanceCursor ${user} ${conv} ${kind}`, () => this.#pool.execute<ResultSetHeader>(sql, args));
    return Number(result.insertId);
  }

  async conversationsOf(user: number, convs: readonly string[]): Promise<ConversationState[]> {
    checkUserId('user', user);
    const unique = [...new Set(convs.map(checkConv))];
    const lastSeqs = new Map<string, number>();
    const cursors = new Map<string, { delivered: number; read: number }>();
    await this.#run(`conversationsOf ${user}`, async () => {
      for (let i = 0; i < unique.length; i += IN_CHUNK) {
        const chunk = unique.slice(i, i + IN_CHUNK);
        const marks = chunk.map(() => '?').join(', ');
        // Cursors first: a last_seq read later is at least what a (clamped) cursor points to.
        const [rows] = await this.#pool.query<RowDataPacket[]>(
          `SELECT conv, delivered_seq, read_seq FROM conversation_cursors WHERE user_id = ? AND conv IN (${marks})`,
          [user, ...chunk],
        );
        for (const row of rows) {
          cursors.set((row.conv as Buffer).toString('utf8'), { delivered: Number(row.delivered_seq), read: Number(row.read_seq) });
        }
        const [counters] = await this.#pool.query<RowDataPacket[]>(`SELECT conv, last_seq FROM conversations WHERE conv IN (${marks})`, chunk);
        for (const row of counters) {
          lastSeqs.set((row.conv as Buffer).toString('utf8'), Number(row.last_seq));
        }
      }
    });
    return convs.map((conv) => ({ conv, lastSeq: lastSeqs.get(conv) ?? 0, delivered: cursors.get(conv)?.delivered ?? 0, read: cursors.get(conv)?.read ?? 0 }));
  }

  async addDirectConversation(conv: string, users: [number, number]): Promise<void> {
    const [a, b] = checkPair(users[0], users[1]);
    const args = [a, checkConv(conv), b, conv];
    // IGNORE turns only the duplicate key into "no row": the values are checked above.
    await this.#run(`addDirectConversation ${conv}`, () => this.#pool.execute('INSERT IGNORE INTO direct_conversations (user_id, conv) VALUES (?, ?), (?, ?)', args));
  }

  async directConversationsOf(user: number, limit: number): Promise<string[]> {
    const args = [checkUserId('user', user), checkLimit(limit)];
    // query(), not execute(), for LIMIT ? (see messagesAfter).
    const [rows] = await this.#run(`directConversationsOf ${user}`, () => this.#pool.query<RowDataPacket[]>(DIRECT_CONVERSATIONS, args));
    return rows.map((row) => (row.conv as Buffer).toString('utf8'));
  }

  async createGroup(owner: number, name: string): Promise<Group> {
    const args = [checkUserId('owner', owner), checkGroupName(name)] as const;
    return this.#run(`createGroup ${owner}`, () => groups.createGroup(this.#pool, ...args));
  }

  async groupById(id: number): Promise<Group | undefined> {
    const groupId = checkGroupId(id);
    return this.#run(`groupById ${id}`, () => groups.groupById(this.#pool, groupId));
  }

  async groupRole(groupId: number, user: number): Promise<GroupRole | undefined> {
    const args = [checkGroupId(groupId), checkUserId('user', user)] as const;
    return this.#run(`groupRole ${groupId} ${user}`, () => groups.groupRole(this.#pool, ...args));
  }

  async groupMembers(groupId: number): Promise<{ user: number; role: GroupRole }[]> {
    const id = checkGroupId(groupId);
    return this.#run(`groupMembers ${groupId}`, () => groups.groupMembers(this.#pool, id));
  }

  async addGroupMember(groupId: number, user: number, role: Exclude<GroupRole, 'owner'>): Promise<boolean> {
    const args = [checkGroupId(groupId), checkUserId('user', user), checkMemberRole(role)] as const;
    return this.#run(`addGroupMember ${groupId} ${user}`, () => groups.addGroupMember(this.#pool, ...args));
  }

  async setGroupRole(groupId: number, user: number, role: Exclude<GroupRole, 'owner'>): Promise<boolean> {
    const args = [checkGroupId(groupId), checkUserId('user', user), checkMemberRole(role)] as const;
    return this.#run(`setGroupRole ${groupId} ${user}`, () => groups.setGroupRole(this.#pool, ...args));
  }

  async removeGroupMember(groupId: number, user: number): Promise<boolean> {
    const args = [checkGroupId(groupId), checkUserId('user', user)] as const;
    return this.#run(`removeGroupMember ${groupId} ${user}`, () => groups.removeGroupMember(this.#pool, ...args));
  }

  async groupsOf(user: number): Promise<Group[]> {
    const id = checkUserId('user', user);
    return this.#run(`groupsOf ${user}`, () => groups.groupsOf(this.#pool, id));
  }

  async dissolveGroup(groupId: number): Promise<boolean> {
    const id = checkGroupId(groupId);
    return this.#run(`dissolveGroup ${groupId}`, () => groups.dissolveGroup(this.#pool, id));
  }

  async requestFriend(from: number, to: number): Promise<'requested' | 'accepted' | 'already'> {
    const pair = checkPair(from, to);
    return this.#run(`requestFriend ${from} ${to}`, () => relations.requestFriend(this.#pool, ...pair));
  }

  async acceptFriend(user: number, from: number): Promise<boolean> {
    const pair = checkPair(user, from);
    return this.#run(`acceptFriend ${user} ${from}`, () => relations.acceptFriend(this.#pool, ...pair));
  }

  async friendRequestsTo(user: number): Promise<number[]> {
    const id = checkUserId('user', user);
    return this.#run(`friendRequestsTo ${user}`, () => relations.friendRequestsTo(this.#pool, id));
  }

  async removeFriend(a: number, b: number): Promise<boolean> {
    const pair = checkPair(a, b);
    return this.#run(`removeFriend ${a} ${b}`, () => relations.removeFriend(this.#pool, ...pair));
  }

  async friendsOf(user: number): Promise<number[]> {
    const id = checkUserId('user', user);
    return this.#run(`friendsOf ${user}`, () => relations.friendsOf(this.#pool, id));
  }

  async areFriends(a: number, b: number): Promise<boolean> {
    // Nobody is their own friend: answered without a query, as isBlocked() does.
    if (checkUserId('user', a) === checkUserId('other user', b)) return false;
    return this.#run(`areFriends ${a} ${b}`, () => relations.areFriends(this.#pool, a, b));
  }

  async block(user: number, target: number): Promise<boolean> {
    const pair = checkPair(user, target);
    return this.#run(`block ${user} ${target}`, () => relations.block(this.#pool, ...pair));
  }

  async unblock(user: number, target: number): Promise<boolean> {
    const pair = checkPair(user, target);
    return this.#run(`unblock ${user} ${target}`, () => relations.unblock(this.#pool, ...pair));
  }

  async isBlocked(by: number, target: number): Promise<boolean> {
    if (checkUserId('user', by) === checkUserId('target', target)) return false;
    return this.#run(`isBlocked ${by} ${target}`, () => relations.isBlocked(this.#pool, by, target));
  }

  async blockedBy(user: number): Promise<number[]> {
    const id = checkUserId('user', user);
    return this.#run(`blockedBy ${user}`, () => relations.blockedBy(this.#pool, id));
  }

  /** Ends the pool once; later calls wait for the same end. */
  close(): Promise<void> {
    this.#closing ??= this.#pool.end();
    return this.#closing;
  }

  async #oneUser(what: string, sql: string, arg: number | string): Promise<User | undefined> {
    const [rows] = await this.#run(what, () => this.#pool.execute<UserRow[]>(sql, [arg]));
    const row = rows[0];
    return row === undefined ? undefined : { id: Number(row.id), name: row.name, passwordHash: row.password_hash, createdAt: row.created_at };
  }

  /** Runs `work`, translating driver errors into StorageErrors. */
  async #run<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toStorageError(error, what);
    }
  }
}
