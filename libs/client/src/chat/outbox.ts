import { Op } from '@imcluster/protocol/ops';
import { decodeText, utf8 } from '../codec.ts';
import { chatError, ClientError } from '../errors.ts';
import type { ChatLink, StoreQueue } from './link.ts';
import type { ChatStore } from './store.ts';
import type { OutboxEntry, SendAck, Target } from './types.ts';

export interface OutboxOptions {
  /** Most sends waiting for their ack at once; send() refuses more with OUTBOX_FULL (default 1000). */
  maxOutbox: number;
  /** Most sends on the wire without an ack yet (pipelining window, default 1; see docs/client.md). */
  maxInFlight: number;
  /** Without an ack after this long, the same message is sent again with the same id, ms (default 10000). */
  ackTimeoutMs: number;
  /** Wait before sending again after 4503 (not stored) or 4504 (outcome unknown), ms (default 1000). */
  retryMs: number;
  /** The server's body limit: a larger send would cost the connection (3502), so it is refused here. */
  maxBodyBytes: number;
}

interface Item {
  entry: OutboxEntry;
  body: string;
  inFlight: boolean;
  /** Not sent again before this time (after a 4503). */
  notBefore: number;
  resolve?: (ack: SendAck) => void;
  reject?: (error: ClientError) => void;
}

interface WireAck {
  code: number;
  message?: string;
  client_msg_id: string;
  msg_id: string;
  conv: string;
  seq: number;
  ts: number;
}

/**
 * Sends in order, each with its client message id, until acknowledged: at most `maxInFlight` on
 * the wire, the rest queued; after a reconnect (or an ack timeout, or 4503) the unacknowledged
 * ones go again in their original order with the same ids, so the server stores each once.
 */
export class Outbox {
  readonly #link: ChatLink;
  readonly #store: ChatStore;
  readonly #queue: StoreQueue;
  readonly #o: OutboxOptions;
  readonly #idPrefix: string;
  #counter = 0;
  #items: Item[] = [];
  #inFlight = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped: ClientError | undefined;

  constructor(link: ChatLink, store: ChatStore, queue: StoreQueue, options: OutboxOptions, idPrefix: string) {
    this.#link = link;
    this.#store = store;
    this.#queue = queue;
    this.#o = options;
    this.#idPrefix = idPrefix;
  }

  /** Entries a previous session left unacknowledged: they go first, before any new send. */
  restore(entries: OutboxEntry[]): void {
    const fresh = this.#items;
    this.#items = entries.map((entry) => ({ entry, body: bodyOf(entry), inFlight: false, notBefore: 0 }));
    this.#items.push(...fresh);
  }

  send(to: Target, payload: string, contentType: string): Promise<SendAck> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    if (this.#items.length >= this.#o.maxOutbox) return Promise.reject(new ClientError('OUTBOX_FULL', `${this.#items.length} sends are waiting for their ack`));
    const entry: OutboxEntry = { clientMsgId: this.#nextId(), to, contentType, payload, createdAt: Date.now() };
    const body = bodyOf(entry);
    if (utf8.encode(body).length > this.#o.maxBodyBytes) return Promise.reject(new ClientError('TOO_LARGE', `message body over ${this.#o.maxBodyBytes} bytes`));
    return new Promise((resolve, reject) => {
      this.#items.push({ entry, body, inFlight: false, notBefore: 0, resolve, reject });
      void this.#queue.run(() => this.#store.addToOutbox(entry));
      this.pump();
    });
  }

  /** Sends waiting for their ack, in send order. */
  pending(): OutboxEntry[] {
    return this.#items.map((item) => item.entry);
  }

  /** Gives up on a send that is not on the wire now; its promise rejects with CLOSED. */
  discard(clientMsgId: string): boolean {
    const item = this.#items.find((i) => i.entry.clientMsgId === clientMsgId);
    if (!item || item.inFlight) return false;
    this.#remove(item);
    item.reject?.(new ClientError('CLOSED', 'discarded by the app'));
    return true;
  }

  /** Sends what the window allows, in order; stops at a send that must wait (order is kept). */
  pump(): void {
    clearTimeout(this.#timer);
    if (this.#stopped || !this.#link.connected()) return;
    const now = Date.now();
    for (const item of this.#items) {
      if (this.#inFlight >= this.#o.maxInFlight) return;
      if (item.inFlight) continue;
      if (item.notBefore > now) {
        this.#timer = setTimeout(() => this.pump(), item.notBefore - now);
        return;
      }
      this.#transmit(item);
    }
  }

  /** The client stopped: pending promises fail with `error`; the store keeps the entries. */
  stop(error: ClientError): void {
    this.#stopped = error;
    clearTimeout(this.#timer);
    const items = this.#items;
    this.#items = [];
    for (const item of items) item.reject?.(error);
  }

  #transmit(item: Item): void {
    item.inFlight = true;
    this.#inFlight++;
    this.#link
      .requestNow(Op.SendMsg, item.body, this.#o.ackTimeoutMs)
      .then(
        (reply) => this.#onReply(item, JSON.parse(decodeText(reply.body)) as WireAck),
        () => this.#onLost(item, 0),
      );
  }

  #onReply(item: Item, reply: WireAck): void {
    // 4503 not stored, 4504 outcome unknown: both are answered by the same send with the same id.
    if (reply.code === 4503 || reply.code === 4504) return this.#onLost(item, this.#o.retryMs);
    this.#landed(item);
    if (reply.code !== 0) {
      const error = chatError(reply);
      item.reject?.(error);
      this.#link.emit('sendFailed', { entry: item.entry, error });
    } else {
      const ack: SendAck = { clientMsgId: reply.client_msg_id, msgId: reply.msg_id, conv: reply.conv, seq: reply.seq, ts: reply.ts };
      item.resolve?.(ack);
      this.#link.emit('sent', ack);
    }
    this.pump();
  }

  /** No answer (socket lost, timeout) or "not stored": the item goes again later, same id. */
  #onLost(item: Item, waitMs: number): void {
    if (!item.inFlight) return;
    item.inFlight = false;
    this.#inFlight--;
    item.notBefore = Date.now() + waitMs;
    this.pump();
  }

  #landed(item: Item): void {
    item.inFlight = false;
    this.#inFlight--;
    this.#remove(item);
  }

  #remove(item: Item): void {
    this.#items.splice(this.#items.indexOf(item), 1);
    void this.#queue.run(() => this.#store.removeFromOutbox(item.entry.clientMsgId));
  }

  #nextId(): string {
    return `${this.#idPrefix}-${(++this.#counter).toString(36)}`;
  }
}

function bodyOf(entry: OutboxEntry): string {
  return JSON.stringify({ client_msg_id: entry.clientMsgId, to: entry.to, content_type: entry.contentType, payload: entry.payload });
}
