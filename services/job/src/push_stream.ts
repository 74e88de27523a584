import * as grpc from '@grpc/grpc-js';
import { unary, type BroadcastRoomReq, type CometClient, type PushKeysReq } from '@imcluster/proto';

type Call = ReturnType<CometClient['pushStream']>;

/** What goes on the stream: a room batch or a key push, as the unary BroadcastRoom and PushKeys take them. */
export type StreamPush = { room: BroadcastRoomReq } | { keys: PushKeysReq };

interface Pending {
  push: StreamPush;
  resolve: () => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

/**
 * Pushes to one comet over one PushStream call (a message on an open stream costs a fraction of
 * a unary call), opened by the first push and again by the first push after it failed. Pushes go
 * in the order sent; send() resolves once the comet answered that push (queued, as the unary
 * calls answer). When the stream fails every push waiting on it rejects with the stream's error;
 * a push unanswered after `timeoutMs` fails the stream with DEADLINE_EXCEEDED, since the pushes
 * behind it wait on the same comet. A comet without PushStream (an older version during a
 * rolling upgrade) gets unary BroadcastRoom and PushKeys calls.
 */
export class PushStream {
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

  send(push: StreamPush): Promise<void> {
    if (this.#unaryOnly) return this.#unary(push);
    const call = (this.#call ??= this.#open());
    const id = (this.#lastId = (this.#lastId + 1) >>> 0);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(call, streamError(grpc.status.DEADLINE_EXCEEDED, `no answer on the push stream within ${this.#timeoutMs} ms`)), this.#timeoutMs);
      this.#pending.set(id, { push, resolve, reject, timer });
      call.write({ id, ...push });
    });
  }

  async #unary(push: StreamPush): Promise<void> {
    if ('room' in push) await unary((md, opts, cb) => this.client.broadcastRoom(push.room, md, opts, cb), this.#timeoutMs);
    else await unary((md, opts, cb) => this.client.pushKeys(push.keys, md, opts, cb), this.#timeoutMs);
  }

  /** Ends the stream; pushes still waiting reject. */
  close(): void {
    const call = this.#call;
    if (call) this.#fail(call, streamError(grpc.status.CANCELLED, 'push stream closed'));
  }

  #open(): Call {
    const call = this.client.pushStream(new grpc.Metadata());
    call.on('data', ({ id }: { id: number }) => {
      const pending = this.#pending.get(id);
      if (!pending) return;
      this.#pending.delete(id);
      clearTimeout(pending.timer);
      pending.resolve();
    });
    call.on('error', (error: grpc.ServiceError) => this.#fail(call, error));
    call.on('end', () => this.#fail(call, streamError(grpc.status.UNAVAILABLE, 'the comet ended the push stream')));
    return call;
  }

  #fail(call: Call, error: Partial<grpc.ServiceError>): void {
    if (this.#call !== call) return;
    this.#call = undefined;
    call.cancel();
    // The comet has no PushStream, so it took none of them: they go again, one unary call each.
    const resend = error.code === grpc.status.UNIMPLEMENTED;
    if (resend) this.#unaryOnly = true;
    for (const { push, resolve, reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      if (resend) this.#unary(push).then(resolve, reject);
      else reject(error);
    }
    this.#pending.clear();
  }
}

/** An error shaped as grpc-js reports a failed call, so CometPool and neverReached read it the same way. */
function streamError(code: grpc.status, details: string): Partial<grpc.ServiceError> {
  return Object.assign(new Error(details), { code, details });
}
