import * as grpc from '@grpc/grpc-js';
import { unary, type CometClient, type Message } from '@imcluster/proto';

type Call = ReturnType<CometClient['roomStream']>;

interface Pending {
  room: string;
  msgs: Message[];
  resolve: () => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

/**
 * Room batches to one comet over one RoomStream call (a message on an open stream costs a
 * fraction of a unary call), opened by the first batch and again by the first batch after it
 * failed. Batches go in the order sent; send() resolves once the comet answered that batch
 * (queued, as BroadcastRoom answers). When the stream fails every batch waiting on it rejects
 * with the stream's error; a batch unanswered after `timeoutMs` fails the stream with
 * DEADLINE_EXCEEDED, since the batches behind it wait on the same comet. A comet without
 * RoomStream (an older version during a rolling upgrade) gets unary BroadcastRoom calls.
 */
export class RoomStream {
  readonly client: CometClient;
  readonly #timeoutMs: number;
  readonly #pending = new Map<number, Pending>();
  #call: Call | undefined;
  #lastId = 0;
  #unaryOnly = false;

  constructor(client: CometClient, timeoutMs: number) {
    this.client = client;
    this.#timeoutMs = timeoutMs;
  }

  send(room: string, msgs: Message[]): Promise<void> {
    if (this.#unaryOnly) return this.#unary(room, msgs);
    const call = (this.#call ??= this.#open());
    const id = (this.#lastId = (this.#lastId + 1) >>> 0);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(call, streamError(grpc.status.DEADLINE_EXCEEDED, `no answer on the room stream within ${this.#timeoutMs} ms`)), this.#timeoutMs);
      this.#pending.set(id, { room, msgs, resolve, reject, timer });
      call.write({ id, batch: { room, msgs } });
    });
  }

  async #unary(room: string, msgs: Message[]): Promise<void> {
    await unary((md, opts, cb) => this.client.broadcastRoom({ room, msgs }, md, opts, cb), this.#timeoutMs);
  }

  /** Ends the stream; batches still waiting reject. */
  close(): void {
    const call = this.#call;
    if (call) this.#fail(call, streamError(grpc.status.CANCELLED, 'room stream closed'));
  }

  #open(): Call {
    const call = this.client.roomStream(new grpc.Metadata());
    call.on('data', ({ id }: { id: number }) => {
      const pending = this.#pending.get(id);
      if (!pending) return;
      this.#pending.delete(id);
      clearTimeout(pending.timer);
      pending.resolve();
    });
    call.on('error', (error: grpc.ServiceError) => this.#fail(call, error));
    call.on('end', () => this.#fail(call, streamError(grpc.status.UNAVAILABLE, 'the comet ended the room stream')));
    return call;
  }

  #fail(call: Call, error: Partial<grpc.ServiceError>): void {
    if (this.#call !== call) return;
    this.#call = undefined;
    call.cancel();
    // The comet has no RoomStream, so it took none of them: they go again, one call each.
    const resend = error.code === grpc.status.UNIMPLEMENTED;
    if (resend) this.#unaryOnly = true;
    for (const { room, msgs, resolve, reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      if (resend) this.#unary(room, msgs).then(resolve, reject);
      else reject(error);
    }
    this.#pending.clear();
  }
}

/** An error shaped as grpc-js reports a failed call, so CometPool and neverReached read it the same way. */
function streamError(code: grpc.status, details: string): Partial<grpc.ServiceError> {
  return Object.assign(new Error(details), { code, details });
}
