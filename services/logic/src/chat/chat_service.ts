import { errorCodeOf, ImError, type Logger } from '@imcluster/common';
import type { ChatOp, LogicMetrics } from '@imcluster/metrics';
import { chatFailureReply, chatReplyOp, directConversation, groupConversation, Op, parseConversation, socketFailure } from '@imcluster/protocol';
import type { AppendResult, ChatMessage, NewChatMessage, Storage } from '@imcluster/storage';
import type { PushService } from '../push.ts';
import { Appender } from './appender.ts';
import { ackBody, conversationsBody, parseBody, positionBody, sendBody, syncBody } from './bodies.ts';
import { membersIfMember } from './conversation.ts';
import { conversationView, messageView } from './view.ts';

export interface ChatOptions {
  storage: Storage;
  push: PushService;
  logger: Logger;
  /** Largest payload in bytes of UTF-8. */
  maxPayload: number;
  /** How long after sending a message may be recalled, ms. */
  recallWindowMs: number;
  /** Direct messages only between friends. */
  friendsOnly: boolean;
  /** Bytes of messages (as JSON) in one sync page at most; a page always holds one message. */
  syncPageBytes: number;
  metrics: LogicMetrics;
}

/** Where a send goes: its conversation and every member who receives it. */
interface Target {
  conv: string;
  members: number[];
}

/** A send checked and ready to store. */
interface Prepared {
  input: NewChatMessage;
  members: number[];
  /** The other user of a direct conversation. */
  directTo: number | undefined;
}

/** The op-5 body of a stored message. */
interface Ack {
  code: 0;
  client_msg_id: string;
  msg_id: string;
  conv: string;
  seq: number;
  ts: number;
}

/** Who sent a chat op: the connection's user (0 = anonymous) and its device id ("" for none). */
export interface ChatCaller {
  mid: number;
  device: string;
}

/** What the comet writes back on the connection: op 0 means nothing. */
export interface ChatOutcome {
  op: number;
  body: Buffer;
}

const NO_REPLY: ChatOutcome = { op: 0, body: Buffer.alloc(0) };
const OP_NAMES: Record<number, ChatOp> = {
  [Op.SendMsg]: 'send',
  [Op.ChatAck]: 'ack',
  [Op.ChatSync]: 'sync',
  [Op.ChatRead]: 'read',
  [Op.ChatRecall]: 'recall',
  [Op.ChatConversations]: 'conversations',
};

/**
 * Chat over the connection: store first (the ack means durable), then deliver through the queue
 * keyed by conversation to every device of every member. The comets re-send each delivery to each
 * connection until that connection acknowledges it; sync covers the rest.
 */
export class ChatService {
  readonly #o: ChatOptions;
  readonly #appender: Appender;

  constructor(options: ChatOptions) {
    this.#o = options;
    this.#appender = new Appender(options.storage);
  }

  /**
   * Handles the chat ops one connection sent, one after the other in the order it sent them, so
   * its messages get increasing seqs per conversation; one outcome per op.
   */
  async handleBatch(caller: ChatCaller, ops: readonly { op: number; body: Buffer }[]): Promise<ChatOutcome[]> {
    const outcomes: ChatOutcome[] = [];
    let sends: Buffer[] = [];
    for (const { op, body } of ops) {
      if (op === Op.SendMsg && caller.mid !== 0) {
        sends.push(body);
        continue;
      }
      if (sends.length > 0) outcomes.push(...(await this.#sendRun(caller.mid, sends)));
      sends = [];
      outcomes.push(await this.handle(caller, op, body));
    }
    if (sends.length > 0) outcomes.push(...(await this.#sendRun(caller.mid, sends)));
    return outcomes;
  }

  /** Consecutive sends of one connection, stored together; one op-5 reply each. */
  async #sendRun(mid: number, bodies: Buffer[]): Promise<ChatOutcome[]> {
    const sends = bodies.map((body) => ({ body, measured: this.#measure(Op.SendMsg) }));
    const acks = await this.#sendAll(mid, bodies);
    return sends.map(({ body, measured }, i) => {
      const ack = acks[i] ?? new ImError('INTERNAL', 'no outcome for a send');
      return this.#settle(Op.SendMsg, body, ack instanceof Error ? ack : json(Op.SendMsgReply, ack), measured);
    });
  }

  /** Handles a chat op a client sent on a connection of `caller.mid` (0 = anonymous). */
  async handle(caller: ChatCaller, op: number, body: Buffer): Promise<ChatOutcome> {
    const measured = this.#measure(op);
    const outcome = await this.#dispatch(caller, op, body, chatReplyOp[op] ?? 0).catch((error: unknown) => asError(error));
    return this.#settle(op, body, outcome, measured);
  }

  /** Counts a finished op with its reply code and turns a failure into the client's reply. */
  #settle(op: number, body: Buffer, outcome: ChatOutcome | Error, measured: (code: number) => void): ChatOutcome {
    if (!(outcome instanceof Error)) {
      measured(0);
      return outcome;
    }
    const failure = this.#failure(outcome);
    measured(failure.code);
    return chatFailureReply(op, body, failure);
  }

  async #dispatch({ mid, device }: ChatCaller, op: number, body: Buffer, replyOp: number): Promise<ChatOutcome> {
    if (mid === 0) throw new ImError('FORBIDDEN', 'anonymous viewers cannot chat');
    if (op === Op.SendMsg) return json(replyOp, await this.#send(mid, body));
    if (op === Op.ChatAck) return await this.#ack(mid, device, body);
    if (op === Op.ChatSync) return json(replyOp, await this.#sync(mid, body));
    if (op === Op.ChatRead) return await this.#read(mid, body);
    if (op === Op.ChatRecall) return json(replyOp, await this.#recall(mid, body));
    if (op === Op.ChatConversations) return json(replyOp, await this.#list(mid, device, body));
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

  async #send(mid: number, body: Buffer): Promise<Ack> {
    const [ack] = await this.#sendAll(mid, [body]);
    if (ack instanceof Error || ack === undefined) throw ack;
    return ack;
  }

  /**
   * Sends (op 4) of one connection, in order: each is checked on its own, the accepted ones are
   * stored together (group commit with other connections' sends), then delivered. One outcome per
   * body: the ack, or the reason it was refused.
   */
  async #sendAll(mid: number, bodies: readonly Buffer[]): Promise<(Ack | Error)[]> {
    const prepared: (Prepared | Error)[] = [];
    // A connection's run of sends mostly goes to one or two targets: their policy is checked once.
    const targets = new Map<string, Promise<Target>>();
    for (const body of bodies) prepared.push(await this.#prepare(mid, body, targets).catch((error: unknown) => asError(error)));
    const accepted = prepared.filter((p): p is Prepared => !(p instanceof Error));
    const results = accepted.length > 0 ? await this.#appender.append(accepted.map((p) => p.input)).catch((error: unknown) => asError(error)) : [];
    const lost = new ImError('INTERNAL', 'the storage returned fewer results than messages');
    const stored = new Map(accepted.map((p, i) => [p, results instanceof Error ? results : (results[i] ?? lost)]));
    const outcomes: (Ack | Error)[] = [];
    for (const p of prepared) outcomes.push(p instanceof Error ? p : await this.#stored(mid, p, stored.get(p)!));
    await this.#markRead(mid, outcomes);
    return outcomes;
  }

  /** Parses and checks one send; resolves with what to store and who receives it. */
  async #prepare(mid: number, body: Buffer, targets: Map<string, Promise<Target>>): Promise<Prepared> {
    const input = parseBody(sendBody, body);
    if (Buffer.byteLength(input.payload) > this.#o.maxPayload) throw new ImError('TOO_LARGE', `payload over ${this.#o.maxPayload} bytes`);
    const key = `${input.to.type}:${input.to.id}`;
    let target = targets.get(key);
    if (!target) {
      target = input.to.type === 'group' ? this.#groupTarget(mid, input.to.id) : this.#directTarget(mid, input.to.id);
      targets.set(key, target);
    }
    const { conv, members } = await target;
    const stored = { conv, sender: mid, clientMsgId: input.client_msg_id, contentType: input.content_type, payload: input.payload };
    return { input: stored, members, directTo: input.to.type === 'user' ? input.to.id : undefined };
  }

  /** After the append: refuses a reused id, lists a new direct conversation, delivers, acks. */
  async #stored(mid: number, { input, members, directTo }: Prepared, result: AppendResult | Error): Promise<Ack | Error> {
    if (result instanceof Error) return result;
    const { message, duplicate } = result;
    if (duplicate && (message.conv !== input.conv || message.payload !== input.payload || message.contentType !== input.contentType)) {
      return new ImError('DUPLICATE', 'client_msg_id already names another message; send with a new id');
    }
    try {
      // Listed before delivery, so a receiver that lists on op 20 finds it. Also on a retry of the
      // first message: it heals a failure between the append and this write.
      if (message.seq === 1 && directTo !== undefined) await this.#o.storage.addDirectConversation(message.conv, [mid, directTo]);
    } catch (error) {
      return asError(error);
    }
    // Delivered again on a retry too: the first attempt may have stopped between storing and
    // delivering. Receivers drop what they have by seq.
    try {
      await this.#deliver(message, members);
    } catch (error) {
      // Stored but not handed to the queue (e.g. Kafka below min.insync.replicas): no ack, so the
      // sender retries with the same id, which delivers it again, rather than the receivers
      // learning of it only at their next sync.
      return new ImError('OUTCOME_UNKNOWN', 'stored, but not handed on for delivery; send again with the same client_msg_id', { cause: error });
    }
    return { code: 0, client_msg_id: message.clientMsgId, msg_id: message.id, conv: message.conv, seq: message.seq, ts: message.createdAt.getTime() };
  }

  /** The sender has read what it sent: its read cursor moves to its last message of each conversation. */
  async #markRead(mid: number, outcomes: readonly (Ack | Error)[]): Promise<void> {
    const last = new Map<string, number>();
    for (const ack of outcomes) if (!(ack instanceof Error)) last.set(ack.conv, Math.max(last.get(ack.conv) ?? 0, ack.seq));
    try {
      for (const [conv, seq] of last) await this.#o.storage.advanceCursor(mid, conv, 'read', seq);
    } catch (error) {
      this.#o.logger.warn({ err: error }, 'sender read cursor not moved'); // the messages are stored and acked
    }
  }

  /** Policy of a direct message: the target exists, has not blocked the sender, and (optionally) is a friend. */
  async #directTarget(mid: number, to: number): Promise<Target> {
    if (to === mid) throw new ImError('INVALID', 'cannot send to yourself');
    if (!(await this.#o.storage.userById(to))) throw new ImError('NOT_FOUND', `no user ${to}`);
    if (await this.#o.storage.isBlocked(to, mid)) throw new ImError('FORBIDDEN', 'the receiver does not accept your messages');
    if (this.#o.friendsOnly && !(await this.#o.storage.areFriends(mid, to))) throw new ImError('FORBIDDEN', 'direct messages are between friends only');
    return { conv: directConversation(mid, to), members: [to, mid] };
  }

  /** Only current members send to a live group; every member receives. */
  async #groupTarget(mid: number, groupId: number): Promise<Target> {
    const group = await this.#o.storage.groupById(groupId);
    if (!group || group.dissolvedAt) throw new ImError('NOT_FOUND', `no group ${groupId}`);
    const conv = groupConversation(groupId);
    return { conv, members: await membersIfMember(this.#o.storage, conv, mid) };
  }

  /** op 21: the device holds `conv` up to `seq`: its own cursor and the user's (the highest of them) move. */
  async #ack(mid: number, device: string, body: Buffer): Promise<ChatOutcome> {
    const { conv, seq } = parseBody(ackBody, body);
    await membersIfMember(this.#o.storage, conv, mid);
    const upto = Math.min(seq, await this.#o.storage.lastSeq(conv));
    if (upto === 0) return NO_REPLY; // nothing to hold (no such conversation yet): no cursor row
    await this.#o.storage.advanceCursor(mid, conv, 'delivered', upto);
    if (device) await this.#o.storage.advanceDeviceCursor(mid, device, conv, upto);
    return NO_REPLY;
  }

  async #sync(mid: number, body: Buffer) {
    const { conv, after, limit } = parseBody(syncBody, body);
    await membersIfMember(this.#o.storage, conv, mid);
    const page = await this.#o.storage.messagesAfter(conv, after, limit + 1);
    const messages = withinBytes(page.slice(0, limit).map(messageView), this.#o.syncPageBytes);
    const [state] = await this.#o.storage.conversationsOf(mid, [conv]);
    const lastSeq = state?.lastSeq ?? 0;
    const read = state?.read ?? 0;
    return { code: 0, conv, messages, last_seq: lastSeq, read_seq: read, unread: lastSeq - read, more: page.length > messages.length };
  }

  /**
   * op 24: the reader has read up to `seq`; the members' devices get a receipt (op 25), only when
   * the read cursor moved: a repeated receipt writes and sends nothing. A conversation without
   * messages does not exist yet: NOT_FOUND, nothing written.
   */
  async #read(mid: number, body: Buffer): Promise<ChatOutcome> {
    const { conv, seq } = parseBody(positionBody, body);
    const members = await membersIfMember(this.#o.storage, conv, mid);
    const [state] = await this.#o.storage.conversationsOf(mid, [conv]);
    const upto = Math.min(seq, state?.lastSeq ?? 0);
    if (upto === 0) throw new ImError('NOT_FOUND', `no conversation ${conv}`);
    if (upto <= (state?.read ?? 0)) return NO_REPLY;
    const read = await this.#o.storage.advanceCursor(mid, conv, 'read', upto);
    await this.#notify(conv, await this.#audience(mid, conv, members), Op.ChatReadReceipt, { conv, reader: mid, seq: read });
    return NO_REPLY;
  }

  /** op 26: the sender takes a message back within the window; both users' devices get op 28. */
  async #recall(mid: number, body: Buffer) {
    const { conv, seq } = parseBody(positionBody, body);
    const members = await membersIfMember(this.#o.storage, conv, mid);
    const recalled = await this.#o.storage.recallMessage(conv, seq, mid, new Date(Date.now() - this.#o.recallWindowMs));
    if (!recalled) throw new ImError('CONFLICT', 'only the sender may recall, once, within the recall window');
    await this.#notify(conv, await this.#audience(mid, conv, members), Op.ChatRecalled, { conv, seq, by: mid });
    return { code: 0, conv, seq };
  }

  /**
   * Who hears of what `actor` did in `conv`: every member, except in a direct conversation the
   * other user when it has blocked the actor (a block stops every event from the blocked user, not
   * only its messages; the actor's own devices still hear of it).
   */
  async #audience(actor: number, conv: string, members: number[]): Promise<number[]> {
    if (parseConversation(conv)?.kind !== 'direct') return members;
    const other = members.find((m) => m !== actor);
    return other !== undefined && (await this.#o.storage.isBlocked(other, actor)) ? [actor] : members;
  }

  /**
   * An event about a conversation to `members`' devices, in the conversation's order (chunks of a
   * large group share the conversation's queue key); never rejects.
   */
  async #notify(conv: string, members: number[], op: number, event: object): Promise<void> {
    try {
      await this.#enqueue(conv, members, op, event);
    } catch (error) {
      this.#o.logger.warn({ err: error, conv, op }, 'chat event not enqueued');
    }
  }

  /** op 31; an empty body counts as `{}`. */
  async #list(mid: number, device: string, body: Buffer) {
    const { limit } = parseBody(conversationsBody, body.length > 0 ? body : Buffer.from('{}'));
    return { code: 0, conversations: await this.conversations(mid, limit, device) };
  }

  /**
   * The user's conversations that have messages, at most `limit`: the live groups' first (by
   * group id: the storage keeps no activity time for them), then the direct ones, most recently
   * active first, so a cut drops the least active direct conversations. With a `device`, the
   * delivered cursor is that device's own (0 for a conversation it never acknowledged), so a
   * device syncs from where it is; without one it is the user's highest.
   */
  async conversations(mid: number, limit = 200, device = '') {
    const [groups, direct] = await Promise.all([this.#o.storage.groupsOf(mid), this.#o.storage.directConversationsOf(mid, limit)]);
    const convs = [...groups.map((group) => groupConversation(group.id)), ...direct];
    const states = (await this.#o.storage.conversationsOf(mid, convs)).filter((state) => state.lastSeq > 0).slice(0, limit);
    if (!device) return states.map(conversationView);
    const cursors = await this.#o.storage.deviceCursors(mid, device, states.map((state) => state.conv));
    return states.map((state) => conversationView({ ...state, delivered: cursors.get(state.conv) ?? 0 }));
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

  /** A stored message to `mids` (op 20); rejects when the queue did not take it. */
  #deliver(message: ChatMessage, mids: number[]): Promise<void> {
    return this.#enqueue(message.conv, mids, Op.ChatMessage, messageView(message), { conv: message.conv, seq: message.seq });
  }

  async #enqueue(conv: string, members: number[], op: number, event: object, chat?: { conv: string; seq: number }): Promise<void> {
    const body = Buffer.from(JSON.stringify(event));
    await this.#o.push.pushToUsers(members, { operation: op, body, force: true, orderKey: `conv:${conv}`, ...(chat ? { chat } : {}) });
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

/** Anything thrown, as an Error (an ImError keeps its code; the rest are bugs: INTERNAL). */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The first items whose JSON takes at most `maxBytes` together, and at least one: a sync reply
 * stays small whatever `limit` asked for, and the client pages on.
 */
function withinBytes<T>(items: T[], maxBytes: number): T[] {
  let bytes = 0;
  for (let i = 0; i < items.length; i++) {
    bytes += Buffer.byteLength(JSON.stringify(items[i]));
    if (bytes > maxBytes && i > 0) return items.slice(0, i);
  }
  return items;
}
