import { errorCodeOf, ImError, type Logger } from '@imcluster/common';
import type { ChatOp, LogicMetrics } from '@imcluster/metrics';
import { Op, socketFailure } from '@imcluster/protocol';
import type { ChatMessage, Storage } from '@imcluster/storage';
import type { PushService } from '../push.ts';
import { ackBody, conversationsBody, parseBody, positionBody, sendBody, syncBody } from './bodies.ts';
import { directConversation, groupConversation, membersIfMember } from './conversation.ts';
import { ResendScheduler } from './resend.ts';
import { conversationView, messageView } from './view.ts';

export interface ChatOptions {
  storage: Storage;
  push: PushService;
  logger: Logger;
  /** Largest payload in bytes of UTF-8. */
  maxPayload: number;
  /** Waits between re-sends of unacknowledged messages, ms. */
  resendScheduleMs: number[];
  /** Most (receiver, conversation) pairs awaiting an ack at once. */
  maxPendingResends: number;
  /** How long after sending a message may be recalled, ms. */
  recallWindowMs: number;
  /** Direct messages only between friends. */
  friendsOnly: boolean;
  metrics: LogicMetrics;
}

/** What the comet writes back on the connection: op 0 means nothing. */
export interface ChatOutcome {
  op: number;
  body: Buffer;
}

const NO_REPLY: ChatOutcome = { op: 0, body: Buffer.alloc(0) };
const REPLY_OP: Record<number, number> = {
  [Op.SendMsg]: Op.SendMsgReply,
  [Op.ChatSync]: Op.ChatSyncReply,
  [Op.ChatRecall]: Op.ChatRecallReply,
  [Op.ChatConversations]: Op.ChatConversationsReply,
};
const RESEND_PAGE = 100;
const OP_NAMES: Record<number, ChatOp> = {
  [Op.SendMsg]: 'send',
  [Op.ChatAck]: 'ack',
  [Op.ChatSync]: 'sync',
  [Op.ChatRead]: 'read',
  [Op.ChatRecall]: 'recall',
  [Op.ChatConversations]: 'conversations',
};

/**
 * Chat over the connection, one-to-one and in groups: store first (the ack means durable), then
 * deliver through the queue keyed by conversation to every device of its members, then re-send
 * until acknowledged.
 */
export class ChatService {
  readonly #o: ChatOptions;
  readonly #resends: ResendScheduler;

  constructor(options: ChatOptions) {
    this.#o = options;
    this.#resends = new ResendScheduler({
      storage: options.storage,
      resend: (user, conv, after, upto) => this.#resend(user, conv, after, upto),
      scheduleMs: options.resendScheduleMs,
      maxPending: options.maxPendingResends,
      logger: options.logger,
    });
  }

  close(): void {
    this.#resends.close();
  }

  /** Handles a chat op a client sent; `mid` is the connection's user (0 = anonymous). */
  async handle(mid: number, op: number, body: Buffer): Promise<ChatOutcome> {
    const replyOp = REPLY_OP[op] ?? 0;
    const measured = this.#measure(op);
    try {
      const outcome = await this.#dispatch(mid, op, body, replyOp);
      measured(0);
      return outcome;
    } catch (error) {
      const failure = this.#failure(error);
      measured(failure.code);
      if (replyOp === 0) return NO_REPLY;
      return json(replyOp, { ...clientIdOf(op, body), ...failure });
    }
  }

  async #dispatch(mid: number, op: number, body: Buffer, replyOp: number): Promise<ChatOutcome> {
    if (mid === 0) throw new ImError('FORBIDDEN', 'anonymous viewers cannot chat');
    if (op === Op.SendMsg) return json(replyOp, await this.#send(mid, body));
    if (op === Op.ChatAck) return await this.#ack(mid, body);
    if (op === Op.ChatSync) return json(replyOp, await this.#sync(mid, body));
    if (op === Op.ChatRead) return await this.#read(mid, body);
    if (op === Op.ChatRecall) return json(replyOp, await this.#recall(mid, body));
    if (op === Op.ChatConversations) return json(replyOp, await this.#list(mid, body));
    throw new ImError('INVALID', `not a chat operation: ${op}`);
  }

  /** Starts timing a chat operation; the result counts it with its reply code. */
  #measure(op: number): (code: number) => void {
    const name = OP_NAMES[op];
    if (!name) return () => undefined;
    const stop = this.#o.metrics.chatSeconds(name).startTimer();
    return (code) => {
      stop();
      this.#o.metrics.chatRequest(name, code).inc();
    };
  }

  async #send(mid: number, body: Buffer) {
    const input = parseBody(sendBody, body);
    if (Buffer.byteLength(input.payload) > this.#o.maxPayload) throw new ImError('TOO_LARGE', `payload over ${this.#o.maxPayload} bytes`);
    const { conv, members } = input.to.type === 'group' ? await this.#groupTarget(mid, input.to.id) : await this.#directTarget(mid, input.to.id);
    const { message, duplicate } = await this.#o.storage.appendMessage({
      conv,
      sender: mid,
      clientMsgId: input.client_msg_id,
      contentType: input.content_type,
      payload: input.payload,
    });
    // Listed before delivery, so a receiver that lists on op 20 finds it. Also on a retry of the
    // first message: it heals a failure between the append and this write.
    if (message.seq === 1 && message.conv === conv && input.to.type === 'user') await this.#o.storage.addDirectConversation(conv, [mid, input.to.id]);
    if (!duplicate) await this.#deliver(message, members);
    // A duplicate may be a retry after a crash between storing and delivering: re-sends cover it.
    for (const receiver of members) if (receiver !== mid) this.#resends.track(receiver, conv, message.seq);
    return { code: 0, client_msg_id: input.client_msg_id, msg_id: message.id, conv, seq: message.seq, ts: message.createdAt.getTime() };
  }

  /** Policy of a direct message: the target exists, has not blocked the sender, and (optionally) is a friend. */
  async #directTarget(mid: number, to: number): Promise<{ conv: string; members: number[] }> {
    if (to === mid) throw new ImError('INVALID', 'cannot send to yourself');
    if (!(await this.#o.storage.userById(to))) throw new ImError('NOT_FOUND', `no user ${to}`);
    if (await this.#o.storage.isBlocked(to, mid)) throw new ImError('FORBIDDEN', 'the receiver does not accept your messages');
    if (this.#o.friendsOnly && !(await this.#o.storage.areFriends(mid, to))) throw new ImError('FORBIDDEN', 'direct messages are between friends only');
    return { conv: directConversation(mid, to), members: [to, mid] };
  }

  /** Only current members send to a live group; every member receives. */
  async #groupTarget(mid: number, groupId: number): Promise<{ conv: string; members: number[] }> {
    const group = await this.#o.storage.groupById(groupId);
    if (!group || group.dissolvedAt) throw new ImError('NOT_FOUND', `no group ${groupId}`);
    const conv = groupConversation(groupId);
    return { conv, members: await membersIfMember(this.#o.storage, conv, mid) };
  }

  async #ack(mid: number, body: Buffer): Promise<ChatOutcome> {
    const { conv, seq } = parseBody(ackBody, body);
    await membersIfMember(this.#o.storage, conv, mid);
    const last = await this.#o.storage.lastSeq(conv);
    await this.#o.storage.advanceCursor(mid, conv, 'delivered', Math.min(seq, last));
    return NO_REPLY;
  }

  async #sync(mid: number, body: Buffer) {
    const { conv, after, limit } = parseBody(syncBody, body);
    await membersIfMember(this.#o.storage, conv, mid);
    const page = await this.#o.storage.messagesAfter(conv, after, limit + 1);
    const [state] = await this.#o.storage.conversationsOf(mid, [conv]);
    const lastSeq = state?.lastSeq ?? 0;
    const read = state?.read ?? 0;
    return { code: 0, conv, messages: page.slice(0, limit).map(messageView), last_seq: lastSeq, read_seq: read, unread: lastSeq - read, more: page.length > limit };
  }

  /** op 24: the reader has read up to `seq`; both users' devices get a receipt (op 25). */
  async #read(mid: number, body: Buffer): Promise<ChatOutcome> {
    const { conv, seq } = parseBody(positionBody, body);
    const members = await membersIfMember(this.#o.storage, conv, mid);
    const last = await this.#o.storage.lastSeq(conv);
    const read = await this.#o.storage.advanceCursor(mid, conv, 'read', Math.min(seq, last));
    await this.#notify(conv, members, Op.ChatReadReceipt, { conv, reader: mid, seq: read });
    return NO_REPLY;
  }

  /** op 26: the sender takes a message back within the window; both users' devices get op 28. */
  async #recall(mid: number, body: Buffer) {
    const { conv, seq } = parseBody(positionBody, body);
    const members = await membersIfMember(this.#o.storage, conv, mid);
    const recalled = await this.#o.storage.recallMessage(conv, seq, mid, new Date(Date.now() - this.#o.recallWindowMs));
    if (!recalled) throw new ImError('CONFLICT', 'only the sender may recall, once, within the recall window');
    await this.#notify(conv, members, Op.ChatRecalled, { conv, seq, by: mid });
    return { code: 0, conv, seq };
  }

  /** An event about a conversation to `members`' devices, in the conversation's order; never rejects. */
  async #notify(conv: string, members: number[], op: number, event: object): Promise<void> {
    try {
      await this.#o.push.push({ target: { type: 'MIDS', mids: members }, operation: op, body: Buffer.from(JSON.stringify(event)), force: true, orderKey: `conv:${conv}` });
    } catch (error) {
      this.#o.logger.warn({ err: error, conv, op }, 'chat event not enqueued');
    }
  }

  /** op 31; an empty body counts as `{}`. */
  async #list(mid: number, body: Buffer) {
    const { limit } = parseBody(conversationsBody, body.length > 0 ? body : Buffer.from('{}'));
    return { code: 0, conversations: await this.conversations(mid, limit) };
  }

  /**
   * The user's conversations that have messages, at most `limit`: the live groups' first (by
   * group id: the storage keeps no activity time for them), then the direct ones, most recently
   * active first, so a cut drops the least active direct conversations.
   */
  async conversations(mid: number, limit = 200) {
    const [groups, direct] = await Promise.all([this.#o.storage.groupsOf(mid), this.#o.storage.directConversationsOf(mid, limit)]);
    const convs = [...groups.map((group) => groupConversation(group.id)), ...direct];
    const states = await this.#o.storage.conversationsOf(mid, convs);
    return states.filter((state) => state.lastSeq > 0).slice(0, limit).map(conversationView);
  }

  /** History for the HTTP API: a page before or after a seq, in ascending order. */
  async history(mid: number, conv: string, page: { before?: number; after?: number; limit: number }) {
    await membersIfMember(this.#o.storage, conv, mid);
    const messages =
      page.before !== undefined
        ? await this.#o.storage.messagesBefore(conv, page.before, page.limit)
        : await this.#o.storage.messagesAfter(conv, page.after ?? 0, page.limit);
    return { conv, messages: messages.map(messageView), last_seq: await this.#o.storage.lastSeq(conv) };
  }

  /** A stored message to `mids`' devices (op 20); a failure is logged by #notify, not thrown: re-sends or sync carry it. */
  #deliver(message: ChatMessage, mids: number[]): Promise<void> {
    return this.#notify(message.conv, mids, Op.ChatMessage, messageView(message));
  }

  async #resend(user: number, conv: string, after: number, upto: number): Promise<void> {
    const missing = await this.#o.storage.messagesAfter(conv, after, Math.min(RESEND_PAGE, upto - after));
    for (const message of missing) await this.#deliver(message, [user]);
    this.#o.metrics.chatResends.inc(missing.length);
  }

  /** The reply to a failed op; outages are logged as warnings, unexpected failures as errors. */
  #failure(error: unknown): { code: number; message: string } {
    const code = errorCodeOf(error);
    if (code === 'INTERNAL') this.#o.logger.error({ err: error }, 'chat operation failed');
    if (code === 'UNAVAILABLE') this.#o.logger.warn({ err: error }, 'chat operation failed');
    return socketFailure(error, 'chat');
  }
}

function json(op: number, value: object): ChatOutcome {
  return { op, body: Buffer.from(JSON.stringify(value)) };
}

/** Echoes the client's message id in error replies when the body had one, so the client can match them. */
function clientIdOf(op: number, body: Buffer): { client_msg_id?: string } {
  if (op !== Op.SendMsg) return {};
  try {
    const id = (JSON.parse(body.toString('utf8')) as { client_msg_id?: unknown }).client_msg_id;
    return typeof id === 'string' ? { client_msg_id: id } : {};
  } catch {
    return {};
  }
}
