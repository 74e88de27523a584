import type { ChatMessage } from '@imcluster/storage';

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
