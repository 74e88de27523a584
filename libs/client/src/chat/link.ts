import type { Packet } from '../codec.ts';
import type { ClientError } from '../errors.ts';
import type { ChatMessage, OutboxEntry, ReadReceipt, Recalled, SendAck, SystemNotice } from './types.ts';

/** Chat events, as the client emits them. */
export interface ChatEvents {
  /** A chat message, once per (conv, seq), in seq order within its conversation. */
  message: ChatMessage;
  receipt: ReadReceipt;
  recalled: Recalled;
  notice: SystemNotice;
  /** A send was acknowledged (also for sends restored from the store, which have no promise). */
  sent: SendAck;
  /** A send was refused for good and left the outbox. */
  sendFailed: { entry: OutboxEntry; error: ClientError };
  /** After a (re)connect: the outbox was re-sent and every conversation behind was synced. */
  synced: { conversations: number };
  /** A store call failed; the SDK goes on with its in-memory state. */
  storeError: { error: unknown };
}

/** What the chat layer needs from the connection and the client. */
export interface ChatLink {
  connected(): boolean;
  /** A packet without reply on the current socket; false when not connected. */
  send(op: number, body: string): boolean;
  /** A request on the current socket: rejects with DISCONNECTED when it is lost, TIMEOUT after `timeoutMs`. */
  requestNow(op: number, body: string, timeoutMs: number): Promise<Packet>;
  /** A request that waits for a connection and, when `retry`, is sent again after a reconnect. */
  call(op: number, body: string, retry: boolean): Promise<Packet>;
  emit<K extends keyof ChatEvents>(name: K, event: ChatEvents[K]): void;
}

/** Store calls one at a time, in order; a failure is reported, never thrown at the caller. */
export class StoreQueue {
  #tail: Promise<unknown> = Promise.resolve();
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  run<T>(call: () => T | Promise<T>): Promise<T | undefined> {
    const next = this.#tail.then(call).catch((error: unknown) => {
      this.#onError(error);
      return undefined;
    });
    this.#tail = next;
    return next;
  }
}
