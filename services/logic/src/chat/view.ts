import type { ChatMessage, ConversationState } from '@imcluster/storage';

/** A stored message as clients receive it (op 20 pushes and op 23 sync pages). */
export function messageView(m: ChatMessage) {
  return {
    conv: m.conv,
    seq: m.seq,
    msg_id: m.id,
    from: m.sender,
    content_type: m.contentType,
    payload: m.recalledAt ? null : m.payload,
    ts: m.createdAt.getTime(),
    ...(m.recalledAt ? { recalled: true } : {}),
  };
}

/** One entry of the conversation list (op 32, `GET /api/v1/conversations`), as the requesting user sees it. */
export function conversationView(state: ConversationState) {
  return { conv: state.conv, last_seq: state.lastSeq, read_seq: state.read, unread: state.lastSeq - state.read, delivered_seq: state.delivered };
}
