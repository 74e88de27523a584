import { ImError, type ErrorCode } from '@imcluster/common';

export interface User {
  id: number;
  name: string;
  passwordHash: string;
  createdAt: Date;
  /** The version a token must carry to be accepted; raised by revokeTokens() (0 for a new user). */
  tokenVersion: number;
}

/** Limits of the chat columns. Inputs beyond them reject with StorageError 'INVALID'. */
export const chatLimits = {
  /** Characters (code points) of a conversation id. */
  convChars: 64,
  /** Characters (code points) of a sender's client message id. */
  clientMsgIdChars: 64,
  /** Characters (code points) of a content type. */
  contentTypeChars: 32,
  /**
   * UTF-8 bytes of a payload: what a MySQL TEXT column holds. Callers keep to their own, smaller
   * limit (logic: IM_CHAT_MAX_PAYLOAD, 3000 by default); this only guarantees nothing is stored cut short.
   */
  payloadBytes: 65_535,
  /** Messages one messagesAfter() / messagesBefore() call may ask for. */
  pageSize: 1_000,
  /** Messages one appendMessages() call may store. */
  appendBatch: 500,
} as const;

/** One stored chat message. */
export interface ChatMessage {
  /** Server message id, a time-ordered UUID (version 7) assigned on insert; unique. */
  id: string;
  /** Conversation id chosen by the caller: "u:<lowId>:<highId>" or "g:<groupId>". */
  conv: string;
  /** 1, 2, 3, ... per conversation: gap-free and strictly increasing. */
  seq: number;
  /** User id of the sender. */
  sender: number;
  /** The sender's own id for the message; (sender, clientMsgId) is unique. */
  clientMsgId: string;
  /** E.g. "text". */
  contentType: string;
  payload: string;
  /** The appending process' clock when the append took its seq (ordered by seq within one process only). */
  createdAt: Date;
  /** When the sender recalled the message; the payload is kept. */
  recalledAt: Date | null;
}

/** What appendMessage() stores; the storage adds id, seq, createdAt and recalledAt. */
export type NewChatMessage = Pick<ChatMessage, 'conv' | 'sender' | 'clientMsgId' | 'contentType' | 'payload'>;

export interface AppendResult {
  message: ChatMessage;
  /** True when (sender, clientMsgId) was stored before: `message` is that earlier message. */
  duplicate: boolean;
}

export type CursorKind = 'delivered' | 'read';

/** A conversation as one user sees it: see Storage.conversationsOf(). */
export interface ConversationState {
  conv: string;
  lastSeq: number;
  delivered: number;
  read: number;
}

/** A member's rank in a group: exactly one owner; admins may add and remove plain members. */
export type GroupRole = 'owner' | 'admin' | 'member';

/** Limits of the social columns. Inputs beyond them reject with StorageError 'INVALID'. */
export const groupLimits = {
  /** Characters (code points) of a group name. */
  nameChars: 64,
} as const;

/** A group chat. Its id is never reused; a dissolved group keeps its row with dissolvedAt set. */
export interface Group {
  id: number;
  name: string;
  /** The user who created it; ownership does not move. */
  owner: number;
  createdAt: Date;
  /** When the owner dissolved it; its members are gone from then on. */
  dissolvedAt: Date | null;
}

/**
 * Durable storage of users, chat messages, groups and the relations between users (friends,
 * blocks).
 *
 * Contract: every write is durable when its promise resolves; names are unique (createUser rejects
 * with a StorageError of code 'DUPLICATE' when taken); ids are positive and never reused.
 * migrate() applies the versioned schema migrations that are not applied yet and is safe to call
 * from several processes at once.
 *
 * Chat methods check their arguments before touching the database and reject with a StorageError
 * of code 'INVALID' when one is out of range (see chatLimits): an empty or too long conversation
 * id, client message id or content type, a string that is not well-formed UTF-16 (it could not be
 * stored as given), a payload over chatLimits.payloadBytes, a user id that is not a positive safe
 * integer, a seq that is not a non-negative safe integer, a page size outside 1..chatLimits.pageSize.
 * Conversation ids are opaque to the storage and compared byte for byte (so are client ids).
 */
export interface Storage {
  migrate(): Promise<void>;
  /** Resolves once the database answered a trivial query now; rejects (UNAVAILABLE) otherwise. */
  ping(): Promise<void>;
  createUser(name: string, passwordHash: string): Promise<User>;
  userById(id: number): Promise<User | undefined>;
  userByName(name: string): Promise<User | undefined>;
  /**
   * The user an external identity maps to (`subject`, 1-512 characters, compared byte for byte),
   * created with no password on first sight; the same user for the same subject from then on, also
   * when several processes meet a new subject at once.
   */
  userOfSubject(subject: string): Promise<User>;
  /**
   * Raises the user's tokenVersion by one (every token minted before stops being accepted), and
   * stores `passwordHash` with it when given (a password change). Resolves with the new version,
   * undefined for an unknown user. Concurrent calls each raise it.
   */
  revokeTokens(id: number, passwordHash?: string): Promise<number | undefined>;

  /**
   * Stores a message as the next one of its conversation; durable when it resolves.
   *
   * Sequence: the conversation's seqs are 1, 2, 3, ... gap-free and strictly increasing, also with
   * many processes appending to the same conversation at once. The seq is taken in the same
   * transaction as the insert, so a failed or rolled-back append consumes none, and seq n is
   * committed before seq n + 1 is handed out: a reader never sees n + 1 while n is still missing.
   *
   * Idempotent on (sender, clientMsgId): when that pair is stored already (in any conversation),
   * nothing new is stored and the earlier message comes back with duplicate = true; concurrent
   * calls with the same pair store exactly one message. A different sender may use the same
   * clientMsgId. A caller that saw a rejection (e.g. UNAVAILABLE: the commit may or may not have
   * happened) retries with the same clientMsgId and so never stores a message twice.
   */
  appendMessage(message: NewChatMessage): Promise<AppendResult>;
  /**
   * appendMessage() for several messages at once, in one transaction where it can: resolves with
   * one result per input, in order; the messages of one conversation get increasing seqs in the
   * order given. The same (sender, clientMsgId) twice in one call stores one message, the second
   * being its duplicate. 1..chatLimits.appendBatch messages (else INVALID).
   */
  appendMessages(messages: readonly NewChatMessage[]): Promise<AppendResult[]>;
  /** Up to `limit` messages of `conv` with seq > afterSeq, ascending by seq. */
  messagesAfter(conv: string, afterSeq: number, limit: number): Promise<ChatMessage[]>;
  /**
   * Up to `limit` messages of `conv` with seq < beforeSeq, the ones closest to beforeSeq (the page
   * just before it), returned ascending by seq. beforeSeq = lastSeq + 1 gives the newest page.
   */
  messagesBefore(conv: string, beforeSeq: number, limit: number): Promise<ChatMessage[]>;
  /** The highest seq of `conv`: 0 when it has no messages. */
  lastSeq(conv: string): Promise<number>;
  /**
   * Marks message `seq` of `conv` recalled (recalledAt = now) when it exists, was sent by `by`,
   * was created at or after `notBefore` (the recall window) and is not recalled yet; resolves with
   * the updated message, else undefined (so a second recall resolves undefined). The payload is
   * kept: history shows the message as recalled and the API layer hides it.
   */
  recallMessage(conv: string, seq: number, by: number, notBefore: Date): Promise<ChatMessage | undefined>;
  /**
   * Raises the user's `kind` cursor in `conv` to `seq` unless it is higher already: a monotonic
   * max per (user, conv, kind) that never goes backwards, also under concurrent calls. Resolves
   * with the stored value after the call. The two kinds are independent, and `seq` is not checked
   * against lastSeq (the caller clamps it).
   */
  advanceCursor(user: number, conv: string, kind: CursorKind, seq: number): Promise<number>;
  /**
   * For each of `convs`, in that order: its lastSeq and the user's delivered and read cursors
   * (0 where there are none, e.g. for a conversation nobody wrote to).
   */
  conversationsOf(user: number, convs: readonly string[]): Promise<ConversationState[]>;
  /**
   * Moves one device's own delivered cursor of `conv` to at least `seq` and resolves with its
   * value after the call: a monotonic max like advanceCursor(). `device`: 1-64 characters of
   * A-Z a-z 0-9 . _ : - (else INVALID).
   */
  advanceDeviceCursor(user: number, device: string, conv: string, seq: number): Promise<number>;
  /** The device's delivered cursors of those of `convs` it has one for. */
  deviceCursors(user: number, device: string, convs: readonly string[]): Promise<Map<string, number>>;
  /**
   * Lists `conv` among the direct conversations of both `users` (two different user ids; else
   * INVALID). Idempotent: adding a pair that is listed already changes nothing.
   */
  addDirectConversation(conv: string, users: [number, number]): Promise<void>;
  /**
   * Up to `limit` (1..chatLimits.pageSize) direct conversations of `user`, most recently active
   * first: by the createdAt of each one's last message, newest first (one index lookup per
   * conversation of the user: the whole list is read to take the first `limit`). Ties, and
   * conversations without messages (listed last), are ordered by conversation id.
   */
  directConversationsOf(user: number, limit: number): Promise<string[]>;

  // Groups. Invariant kept under concurrent calls: a live group has exactly one member with role
  // 'owner', its creator; a dissolved group has no members. The methods below never add, remove
  // or demote an owner. Group and user ids are checked like chat user ids, names for 1..64
  // characters, roles for one of the allowed values: otherwise StorageError 'INVALID'.

  /** Creates a live group with `owner` as its only member (role 'owner'), in one transaction. */
  createGroup(owner: number, name: string): Promise<Group>;
  /** The group, live or dissolved; undefined when there never was one with this id. */
  groupById(id: number): Promise<Group | undefined>;
  /** The user's role in a live group; undefined when not a member or when the group is dissolved. */
  groupRole(groupId: number, user: number): Promise<GroupRole | undefined>;
  /** Every member with its role, ascending by user id; empty for a dissolved or unknown group. */
  groupMembers(groupId: number): Promise<{ user: number; role: GroupRole }[]>;
  /**
   * Adds `user` to a live group. Resolves false, changing nothing, when the user is a member
   * already or the group is unknown or dissolved; of concurrent calls for one user exactly one
   * resolves true. A call racing dissolveGroup() either lands before it (and is removed with the
   * rest) or adds nobody. Does not check that the user exists.
   */
  addGroupMember(groupId: number, user: number, role: Exclude<GroupRole, 'owner'>): Promise<boolean>;
  /** Sets a non-owner member's role; true when `user` is such a member (its role may have been `role` already). */
  setGroupRole(groupId: number, user: number, role: Exclude<GroupRole, 'owner'>): Promise<boolean>;
  /** Removes a non-owner member; false when not a member or the owner (who leaves by dissolving). */
  removeGroupMember(groupId: number, user: number): Promise<boolean>;
  /** The live groups `user` is a member of, ascending by id. */
  groupsOf(user: number): Promise<Group[]>;
  /**
   * Sets dissolvedAt and removes every member, in one transaction; true for the call that
   * dissolved it, false when it was dissolved already or never existed.
   */
  dissolveGroup(groupId: number): Promise<boolean>;

  // Friends and blocks: relations between two different users. Writes naming the same user twice
  // reject with StorageError 'INVALID'; reads resolve false or empty. User ids are not checked
  // against the users table (the caller does).

  /**
   * Records a friend request from `from` to `to`. Resolves 'accepted' when `to` had a pending
   * request to `from` (they are friends now), 'already' when they are friends, else 'requested'
   * (also when this request was pending already). Two users requesting each other at the same time
   * end as friends: one call resolves 'requested', the other 'accepted'.
   */
  requestFriend(from: number, to: number): Promise<'requested' | 'accepted' | 'already'>;
  /** Makes `user` and `from` friends when `from` has a pending request to `user`; else false. Of concurrent calls one resolves true. */
  acceptFriend(user: number, from: number): Promise<boolean>;
  /** Users with a pending request to `user`, ascending by id. */
  friendRequestsTo(user: number): Promise<number[]>;
  /** Ends a friendship; false when they were not friends (a pending request is left as it is). */
  removeFriend(a: number, b: number): Promise<boolean>;
  /** The friends of `user`, ascending by id. */
  friendsOf(user: number): Promise<number[]>;
  areFriends(a: number, b: number): Promise<boolean>;
  /** `user` blocks `target`; false when blocked already. Independent of friendship. */
  block(user: number, target: number): Promise<boolean>;
  /** Lifts the block; false when there was none. */
  unblock(user: number, target: number): Promise<boolean>;
  /** Has `by` blocked `target`? Blocks are one-way. */
  isBlocked(by: number, target: number): Promise<boolean>;
  /** The users `user` has blocked, ascending by id. */
  blockedBy(user: number): Promise<number[]>;

  close(): Promise<void>;
}

export type StorageErrorCode = Extract<ErrorCode, 'DUPLICATE' | 'INVALID' | 'NOT_FOUND' | 'UNAVAILABLE'>;

/** A refused or failed storage call; UNAVAILABLE when the database could not be reached. */
export class StorageError extends ImError {
  declare readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
