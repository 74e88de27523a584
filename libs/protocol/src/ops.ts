/**
 * Operation numbers carried in the header's `op` field. The numbers and meanings are goim's, so
 * existing goim and Bilibili-live clients work unchanged (see docs/protocol.md for directions and
 * bodies).
 */
export const Op = {
  Handshake: 0,
  HandshakeReply: 1,
  Heartbeat: 2,
  HeartbeatReply: 3,
  SendMsg: 4,
  SendMsgReply: 5,
  DisconnectReply: 6,
  Auth: 7,
  AuthReply: 8,
  Raw: 9,
  ChangeRoom: 12,
  ChangeRoomReply: 13,
  Sub: 14,
  SubReply: 15,
  Unsub: 16,
  UnsubReply: 17,
  // Chat (JSON bodies, docs/protocol.md "Chat operations"): op 4 sends and op 5 acks a message.
  ChatMessage: 20,
  ChatAck: 21,
  ChatSync: 22,
  ChatSyncReply: 23,
  ChatRead: 24,
  ChatReadReceipt: 25,
  ChatRecall: 26,
  ChatRecallReply: 27,
  ChatRecalled: 28,
  /** Friend and group changes announced to the users concerned (JSON). */
  SystemNotice: 30,
  /** The user's conversations with their last seq and unread count (JSON). */
  ChatConversations: 31,
  ChatConversationsReply: 32,
  /** A fresh token for the connection, before the current one expires (JSON `{"token":...}`). */
  TokenRefresh: 33,
  TokenRefreshReply: 34,
} as const;

export type Op = (typeof Op)[keyof typeof Op];

/** Business pushes use ops from here up (goim's convention), so they never collide with protocol ops. */
export const BUSINESS_OP_MIN = 1000;

/**
 * The chat ops a client sends, each with the op its answer comes back as (0: never answered). The
 * comet forwards exactly these to logic.
 */
export const chatReplyOp: Readonly<Record<number, number>> = {
  [Op.SendMsg]: Op.SendMsgReply,
  [Op.ChatAck]: 0,
  [Op.ChatSync]: Op.ChatSyncReply,
  [Op.ChatRead]: 0,
  [Op.ChatRecall]: Op.ChatRecallReply,
  [Op.ChatConversations]: Op.ChatConversationsReply,
};

/**
 * The answer telling a client that its chat op failed: the op's reply op with the failure, and the
 * client's message id echoed for a send (op 4) so that it can match the reply; op 0 (nothing to
 * write) for ops that are never answered.
 */
export function chatFailureReply(op: number, body: Buffer, failure: { code: number; message: string }): { op: number; body: Buffer } {
  const replyOp = chatReplyOp[op] ?? 0;
  if (replyOp === 0) return { op: 0, body: Buffer.alloc(0) };
  return { op: replyOp, body: Buffer.from(JSON.stringify({ ...clientMsgIdOf(op, body), ...failure })) };
}

function clientMsgIdOf(op: number, body: Buffer): { client_msg_id?: string } {
  if (op !== Op.SendMsg) return {};
  try {
    const id = (JSON.parse(body.toString('utf8')) as { client_msg_id?: unknown }).client_msg_id;
    return typeof id === 'string' ? { client_msg_id: id } : {};
  } catch {
    return {};
  }
}
