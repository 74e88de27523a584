/** Who a message goes to: a user (one-to-one) or a group. */
export interface Target {
  type: 'user' | 'group';
  id: number;
}

/** A chat message as the app sees it (op 20, sync and history). */
export interface ChatMessage {
  /** Conversation: `u:<low id>:<high id>` or `g:<group id>`. */
  conv: string;
  /** Position in the conversation: 1, 2, 3, ... without gaps. */
  seq: number;
  msgId: string;
  from: number;
  contentType: string;
  /** null once recalled. */
  payload: string | null;
  /** Server time of storage, ms since the epoch. */
  ts: number;
  recalled: boolean;
}

/** The server's ack of a send: the message is durably stored. */
export interface SendAck {
  clientMsgId: string;
  msgId: string;
  conv: string;
  seq: number;
  ts: number;
}

/** A send waiting for its ack, as kept in the outbox store. */
export interface OutboxEntry {
  clientMsgId: string;
  to: Target;
  contentType: string;
  payload: string;
  /** When the app called send(), ms since the epoch. */
  createdAt: number;
}

export interface Conversation {
  conv: string;
  lastSeq: number;
  /** The user's read cursor (op 24). */
  readSeq: number;
  unread: number;
  /** The acknowledged cursor (op 21): per user today, per device once the server keeps per-device cursors. */
  deliveredSeq: number;
}

export interface HistoryPage {
  conv: string;
  /** Ascending by seq. */
  messages: ChatMessage[];
  lastSeq: number;
  /** True when older messages exist before the first one of this page. */
  hasMore: boolean;
}

/** op 25: `reader` has read `conv` up to `seq`. */
export interface ReadReceipt {
  conv: string;
  reader: number;
  seq: number;
}

/** op 28: message `seq` of `conv` was recalled by `by`. */
export interface Recalled {
  conv: string;
  seq: number;
  by: number;
}

/** op 30: a change to the user's friends or groups; `type` says which (docs/protocol.md). */
export interface SystemNotice {
  type: string;
  ts: number;
  [field: string]: unknown;
}

