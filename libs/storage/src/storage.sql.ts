import type { SqlDialect } from './dialect.ts';
import * as conversations from './sql/conversations.ts';
import * as groups from './sql/groups.ts';
import * as messages from './sql/messages.ts';
import * as relations from './sql/relations.ts';
import * as users from './sql/users.ts';
import {
  chatLimits,
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
  checkDevice,
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

/**
 * The Storage contract on SQL, written once for every dialect: each method checks its arguments
 * (validate.ts) before any I/O, runs the shared statements of `sql/` on the dialect, and turns
 * the driver's errors into StorageErrors. A new method is one method here plus its SQL in `sql/`;
 * the dialects change only where the syntax differs.
 */
export class SqlStorage implements Storage {
  readonly #db: SqlDialect;

  constructor(dialect: SqlDialect) {
    this.#db = dialect;
  }

  async migrate(): Promise<void> {
    await this.#run('migrate', (db) => db.migrate());
  }

  async ping(): Promise<void> {
    await this.#run('ping', (db) => db.read('SELECT 1'));
  }

  async createUser(name: string, passwordHash: string): Promise<User> {
    return this.#run(`createUser ${name}`, (db) => users.createUser(db, name, passwordHash));
  }

  async userById(id: number): Promise<User | undefined> {
    return this.#run(`userById ${id}`, (db) => users.userBy(db, 'id', id));
  }

  async userByName(name: string): Promise<User | undefined> {
    return this.#run(`userByName ${name}`, (db) => users.userBy(db, 'name', name));
  }

  async userOfSubject(subject: string): Promise<User> {
    if (subject.length === 0 || subject.length > 512) throw new StorageError('INVALID', 'userOfSubject: a subject of 1-512 characters');
    return this.#run(`userOfSubject ${subject}`, (db) => users.userOfSubject(db, subject));
  }

  async revokeTokens(id: number, passwordHash?: string): Promise<number | undefined> {
    const user = checkUserId('user', id);
    return this.#run(`revokeTokens ${user}`, (db) => db.transaction((tx) => users.revokeTokens(tx, user, passwordHash)));
  }

  async appendMessages(batch: readonly NewChatMessage[]): Promise<AppendResult[]> {
    if (batch.length === 0 || batch.length > chatLimits.appendBatch) throw new StorageError('INVALID', `appendMessages: 1-${chatLimits.appendBatch} messages`);
    const inputs = batch.map(checkNewMessage);
    return this.#run(`appendMessages ${inputs.length}`, (db) => messages.appendMessages(db, inputs));
  }

  async appendMessage(message: NewChatMessage): Promise<AppendResult> {
    const input = checkNewMessage(message);
    return this.#run(`appendMessage ${input.conv}`, (db) => messages.appendMessage(db, input));
  }

  async messagesAfter(conv: string, afterSeq: number, limit: number): Promise<ChatMessage[]> {
    const args = [checkConv(conv), 'after', checkSeq('afterSeq', afterSeq), checkLimit(limit)] as const;
    return this.#run(`messagesAfter ${conv}`, (db) => messages.messagesPage(db, ...args));
  }

  async messagesBefore(conv: string, beforeSeq: number, limit: number): Promise<ChatMessage[]> {
    const args = [checkConv(conv), 'before', checkSeq('beforeSeq', beforeSeq), checkLimit(limit)] as const;
    return this.#run(`messagesBefore ${conv}`, (db) => messages.messagesPage(db, ...args));
  }

  async lastSeq(conv: string): Promise<number> {
    const checked = checkConv(conv);
    return this.#run(`lastSeq ${conv}`, (db) => messages.lastSeq(db, checked));
  }

  async recallMessage(conv: string, seq: number, by: number, notBefore: Date): Promise<ChatMessage | undefined> {
    const args = [checkConv(conv), checkSeq('seq', seq), checkUserId('by', by), checkDate('notBefore', notBefore)] as const;
    return this.#run(`recallMessage ${conv} ${seq}`, (db) => messages.recallMessage(db, ...args));
  }

  async advanceCursor(user: number, conv: string, kind: CursorKind, seq: number): Promise<number> {
    const args = [checkUserId('user', user), checkConv(conv), checkCursorKind(kind), checkSeq('seq', seq)] as const;
    return this.#run(`advanceCursor ${user} ${conv} ${kind}`, (db) => conversations.advanceCursor(db, ...args));
  }

  async advanceDeviceCursor(user: number, device: string, conv: string, seq: number): Promise<number> {
    const args = [checkUserId('user', user), checkDevice(device), checkConv(conv), checkSeq('seq', seq)] as const;
    return this.#run(`advanceDeviceCursor ${user} ${device} ${conv}`, (db) => conversations.advanceDeviceCursor(db, ...args));
  }

  async deviceCursors(user: number, device: string, convs: readonly string[]): Promise<Map<string, number>> {
    checkUserId('user', user);
    checkDevice(device);
    for (const conv of convs) checkConv(conv);
    return this.#run(`deviceCursors ${user} ${device}`, (db) => conversations.deviceCursors(db, user, device, convs));
  }

  async conversationsOf(user: number, convs: readonly string[]): Promise<ConversationState[]> {
    checkUserId('user', user);
    for (const conv of convs) checkConv(conv);
    return this.#run(`conversationsOf ${user}`, (db) => conversations.conversationsOf(db, user, convs));
  }

  async addDirectConversation(conv: string, users: [number, number]): Promise<void> {
    const args = [checkConv(conv), checkPair(users[0], users[1])] as const;
    await this.#run(`addDirectConversation ${conv}`, (db) => conversations.addDirectConversation(db, ...args));
  }

  async directConversationsOf(user: number, limit: number): Promise<string[]> {
    const args = [checkUserId('user', user), checkLimit(limit)] as const;
    return this.#run(`directConversationsOf ${user}`, (db) => conversations.directConversationsOf(db, ...args));
  }

  async createGroup(owner: number, name: string): Promise<Group> {
    const args = [checkUserId('owner', owner), checkGroupName(name)] as const;
    return this.#run(`createGroup ${owner}`, (db) => groups.createGroup(db, ...args));
  }

  async groupById(id: number): Promise<Group | undefined> {
    const groupId = checkGroupId(id);
    return this.#run(`groupById ${id}`, (db) => groups.groupById(db, groupId));
  }

  async groupRole(groupId: number, user: number): Promise<GroupRole | undefined> {
    const args = [checkGroupId(groupId), checkUserId('user', user)] as const;
    return this.#run(`groupRole ${groupId} ${user}`, (db) => groups.groupRole(db, ...args));
  }

  async groupMembers(groupId: number): Promise<{ user: number; role: GroupRole }[]> {
    const id = checkGroupId(groupId);
    return this.#run(`groupMembers ${groupId}`, (db) => groups.groupMembers(db, id));
  }

  async addGroupMember(groupId: number, user: number, role: Exclude<GroupRole, 'owner'>): Promise<boolean> {
    const args = [checkGroupId(groupId), checkUserId('user', user), checkMemberRole(role)] as const;
    return this.#run(`addGroupMember ${groupId} ${user}`, (db) => groups.addGroupMember(db, ...args));
  }

  async setGroupRole(groupId: number, user: number, role: Exclude<GroupRole, 'owner'>): Promise<boolean> {
    const args = [checkGroupId(groupId), checkUserId('user', user), checkMemberRole(role)] as const;
    return this.#run(`setGroupRole ${groupId} ${user}`, (db) => groups.setGroupRole(db, ...args));
  }

  async removeGroupMember(groupId: number, user: number): Promise<boolean> {
    const args = [checkGroupId(groupId), checkUserId('user', user)] as const;
    return this.#run(`removeGroupMember ${groupId} ${user}`, (db) => groups.removeGroupMember(db, ...args));
  }

  async groupsOf(user: number): Promise<Group[]> {
    const id = checkUserId('user', user);
    return this.#run(`groupsOf ${user}`, (db) => groups.groupsOf(db, id));
  }

  async dissolveGroup(groupId: number): Promise<boolean> {
    const id = checkGroupId(groupId);
    return this.#run(`dissolveGroup ${groupId}`, (db) => groups.dissolveGroup(db, id));
  }

  async requestFriend(from: number, to: number): Promise<'requested' | 'accepted' | 'already'> {
    const pair = checkPair(from, to);
    return this.#run(`requestFriend ${from} ${to}`, (db) => relations.requestFriend(db, ...pair));
  }

  async acceptFriend(user: number, from: number): Promise<boolean> {
    const pair = checkPair(user, from);
    return this.#run(`acceptFriend ${user} ${from}`, (db) => relations.acceptFriend(db, ...pair));
  }

  async friendRequestsTo(user: number): Promise<number[]> {
    const id = checkUserId('user', user);
    return this.#run(`friendRequestsTo ${user}`, (db) => relations.friendRequestsTo(db, id));
  }

  async removeFriend(a: number, b: number): Promise<boolean> {
    const pair = checkPair(a, b);
    return this.#run(`removeFriend ${a} ${b}`, (db) => relations.removeFriend(db, ...pair));
  }

  async friendsOf(user: number): Promise<number[]> {
    const id = checkUserId('user', user);
    return this.#run(`friendsOf ${user}`, (db) => relations.friendsOf(db, id));
  }

  async areFriends(a: number, b: number): Promise<boolean> {
    // Nobody is their own friend: answered without a query, as isBlocked() does.
    if (checkUserId('user', a) === checkUserId('other user', b)) return false;
    return this.#run(`areFriends ${a} ${b}`, (db) => relations.areFriends(db, a, b));
  }

  async block(user: number, target: number): Promise<boolean> {
    const pair = checkPair(user, target);
    return this.#run(`block ${user} ${target}`, (db) => relations.block(db, ...pair));
  }

  async unblock(user: number, target: number): Promise<boolean> {
    const pair = checkPair(user, target);
    return this.#run(`unblock ${user} ${target}`, (db) => relations.unblock(db, ...pair));
  }

  async isBlocked(by: number, target: number): Promise<boolean> {
    if (checkUserId('user', by) === checkUserId('target', target)) return false;
    return this.#run(`isBlocked ${by} ${target}`, (db) => relations.isBlocked(db, by, target));
  }

  async blockedBy(user: number): Promise<number[]> {
    const id = checkUserId('user', user);
    return this.#run(`blockedBy ${user}`, (db) => relations.blockedBy(db, id));
  }

  close(): Promise<void> {
    return this.#db.close();
  }

  /**
   * Runs `work` on the dialect, translating driver errors: a duplicate key -> DUPLICATE; a lost or
   * refused connection, a busy lock or a deadlock -> UNAVAILABLE. Anything else is a bug or a
   * schema problem and stays as it is.
   */
  async #run<T>(what: string, work: (db: SqlDialect) => Promise<T>): Promise<T> {
    try {
      return await work(this.#db);
    } catch (error) {
      throw this.#translate(error, what);
    }
  }

  #translate(error: unknown, what: string): unknown {
    const kind = error instanceof StorageError ? undefined : this.#db.classify(error);
    if (kind === undefined) {
      return error;
    }
    const reason = error instanceof Error ? error.message : String(error);
    const unavailable = kind === 'UNAVAILABLE' ? `${this.#db.name} unavailable: ` : '';
    return new StorageError(kind, `${what}: ${unavailable}${reason}`, { cause: error });
  }
}
