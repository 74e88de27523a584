import type { ChatMessage, Conversation } from './types.ts';

/** A message as the server sends it (op 20, op 23 pages); docs/protocol.md, "Delivery". */
export interface WireMessage {
  conv: string;
  seq: number;
  msg_id: string;
  from: number;
  content_type: string;
  payload: string | null;
  ts: number;
  recalled?: boolean;
}

export interface WireConversation {
  conv: string;
  last_seq: number;
  read_seq: number;
  unread: number;
  delivered_seq: number;
}

export function toMessage(m: WireMessage): ChatMessage {
  return { conv: m.conv, seq: m.seq, msgId: m.msg_id, from: m.from, contentType: m.content_type, payload: m.payload, ts: m.ts, recalled: m.recalled === true };
}

export function toConversation(c: WireConversation): Conversation {
  return { conv: c.conv, lastSeq: c.last_seq, readSeq: c.read_seq, unread: c.unread, deliveredSeq: c.delivered_seq };
}
