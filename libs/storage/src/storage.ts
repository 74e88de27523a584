export interface User {
  id: number;
  name: string;
  passwordHash: string;
  createdAt: Date;
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
   * limit (16 KiB); this only guarantees that nothing is ever stored cut short.
   */
  payloadBytes: 65_535,
  /** Messages one messagesAfter() / messagesBefore() call may ask for. */
  pageSize: 1_000,
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

/**
 * Durable storage of users and chat messages (and, later, groups).
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
  createUser(name: string, passwordHash: string): Promise<User>;
  userById(id: number): Promise<User | undefined>;
  userByName(name: string): Promise<User | undefined>;

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

  close(): Promise<void>;
}

export class StorageError extends Error {
  constructor(readonly code: 'DUPLICATE' | 'INVALID' | 'NOT_FOUND' | 'UNAVAILABLE', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}
