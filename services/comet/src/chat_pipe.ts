import { ImError } from '@imcluster/common';
import { chatCodeInfo, Op, type ChatCodeInfo, type Packet } from '@imcluster/protocol';

/** One chat op as logic receives it, and one reply as logic answers it (op 0: no reply). */
export interface ChatOp {
  op: number;
  body: Buffer;
}

export interface ChatPipeOptions {
  /** Sends a batch of this connection's ops to logic; resolves with one reply per op, in order. */
  send(ops: ChatOp[]): Promise<ChatOp[]>;
  /** What to answer each op of a batch that failed (op 0: nothing). */
  failed(ops: ChatOp[], error: unknown): ChatOp[];
  /** Writes a reply to the client, echoing the seq of its request. */
  reply(op: number, seq: number, body: Buffer): void;
  /** Stop and restart reading the client's socket (back-pressure). */
  pause(): void;
  resume(): void;
  /** The client is not reading its replies: no batch goes to logic until wake(). */
  blocked(): boolean;
  /** Ops of this connection queued or in flight at most before its socket is paused. */
  maxPending: number;
  /** Ops sent to logic in one call at most. */
  maxBatch: number;
}

/**
 * The chat ops of one connection on their way to logic: in the order the client sent them, one
 * batch in flight at a time, so that whatever logic instance serves a batch, a connection's
 * messages are stored in the order it sent them. A client may pipeline; past `maxPending` ops its
 * socket is paused (it stops being read) until logic has caught up, so a busy connection waits
 * for itself and never makes the others wait or time out. While the client does not read its
 * replies, no further batch goes to logic, so the replies waiting for it stay within one batch.
 */
export class ChatPipe {
  readonly #o: ChatPipeOptions;
  #queue: Packet[] = [];
  #inFlight = 0;
  #pumping = false;
  #paused = false;
  #closed = false;

  constructor(options: ChatPipeOptions) {
    this.#o = options;
  }

  enqueue(packet: Packet): void {
    if (this.#closed) return;
    this.#queue.push(packet);
    if (!this.#paused && this.#pending() >= this.#o.maxPending) {
      this.#paused = true;
      this.#o.pause();
    }
    this.wake();
  }

  /** Sends what is queued, unless a batch is already on its way or the client is blocked. */
  wake(): void {
    if (!this.#pumping && !this.#closed) void this.#pump();
  }

  /** The connection is gone: replies still in flight are dropped. */
  close(): void {
    this.#closed = true;
    this.#queue = [];
  }

  #pending(): number {
    return this.#queue.length + this.#inFlight;
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    while (this.#queue.length > 0 && !this.#closed && !this.#o.blocked()) {
      const batch = this.#queue.splice(0, this.#o.maxBatch);
      this.#inFlight = batch.length;
      const ops = batch.map(({ op, body }) => ({ op, body }));
      const replies = await this.#o.send(ops).catch((error: unknown) => this.#o.failed(ops, error));
      this.#inFlight = 0;
      if (this.#closed) break;
      batch.forEach((packet, i) => {
        const reply = replies[i];
        if (reply?.op) this.#o.reply(reply.op, packet.seq, reply.body);
      });
      if (batch.some((packet, i) => retryableSendFailure(packet, replies[i]))) this.#refuseQueuedSends();
      this.#resumeIfDrained();
    }
    this.#pumping = false;
  }

  /**
   * A send of this connection was answered "retry" (4503, 4504): the sends queued behind it are
   * answered 4503 without reaching logic, so that none is stored before the client's retry of
   * the earlier one and the sender's order holds (the client re-sends them in order).
   */
  #refuseQueuedSends(): void {
    const held = this.#queue.filter((packet) => packet.op === Op.SendMsg);
    if (held.length === 0) return;
    this.#queue = this.#queue.filter((packet) => packet.op !== Op.SendMsg);
    const error = new ImError('UNAVAILABLE', 'an earlier send of this connection was not acknowledged; send again in order');
    const replies = this.#o.failed(held, error);
    held.forEach((packet, i) => {
      const reply = replies[i];
      if (reply?.op) this.#o.reply(reply.op, packet.seq, reply.body);
    });
  }

  #resumeIfDrained(): void {
    if (!this.#paused || this.#pending() > this.#o.maxPending / 2) return;
    this.#paused = false;
    this.#o.resume();
  }
}

/** Logic's acks start so; only other bodies are parsed for their code. */
const ACKED = Buffer.from('{"code":0,');

function retryableSendFailure(packet: Packet, reply: ChatOp | undefined): boolean {
  if (packet.op !== Op.SendMsg || reply?.op !== Op.SendMsgReply || reply.body.subarray(0, ACKED.length).equals(ACKED)) return false;
  try {
    const { code } = JSON.parse(reply.body.toString('utf8')) as { code?: unknown };
    return typeof code === 'number' && (chatCodeInfo as Record<number, ChatCodeInfo | undefined>)[code]?.retry === true;
  } catch {
    return false;
  }
}
