import { Op } from '@imcluster/protocol/ops';
import { decodeText, type Packet } from '../codec.ts';
import { chatError, ClientError } from '../errors.ts';
import { Inbox, type InboxOptions } from './inbox.ts';
import { StoreQueue, type ChatLink } from './link.ts';
import { Outbox, type OutboxOptions } from './outbox.ts';
import { memoryStore, type ChatStore } from './store.ts';
import type { Conversation, HistoryPage, OutboxEntry, ReadReceipt, Recalled, SendAck, Target } from './types.ts';
import { toConversation, toMessage, type WireConversation, type WireMessage } from './wire.ts';

export interface ChatOptions extends Partial<OutboxOptions & Omit<InboxOptions, 'requestTimeoutMs'>> {
  /** Where the outbox and the cursors live (default: memory). */
  store?: ChatStore;
}

interface WireSyncPage {
  code: number;
  message?: string;
  messages: WireMessage[];
  last_seq: number;
}

const LIST_LIMIT = 200;

/**
 * The chat side of a client: sends through the outbox, receives through the inbox, and after every
 * (re)connect resumes: re-sends the outbox, lists the conversations, syncs those behind, acks.
 */
export class Chat {
  readonly #link: ChatLink;
  readonly #store: ChatStore;
  readonly #queue: StoreQueue;
  readonly #outbox: Outbox;
  readonly #inbox: Inbox;
  readonly #requestTimeoutMs: number;
  /** Why chat is not available on this client (anonymous, Bilibili dialect, or turned off). */
  readonly #unavailable: ClientError | undefined;
  /** Read positions given while disconnected, sent on the next connection. */
  readonly #reads = new Map<string, number>();
  #loaded: Promise<void> | undefined;
  /** Bumped on every connect and disconnect: a resume of an earlier socket stops. */
  #generation = 0;

  constructor(link: ChatLink, options: ChatOptions, requestTimeoutMs: number, idPrefix: string, unavailable?: ClientError) {
    this.#link = link;
    this.#store = options.store ?? memoryStore();
    this.#queue = new StoreQueue((error) => link.emit('storeError', { error }));
    this.#requestTimeoutMs = requestTimeoutMs;
    this.#unavailable = unavailable;
    this.#outbox = new Outbox(
      link,
      this.#store,
      this.#queue,
      {
        maxOutbox: options.maxOutbox ?? 1000,
        // The server stores the pipelined sends of one connection in the order they were sent
        // (ordered per-connection batches, issue 9), so several can wait for their acks at once.
        maxInFlight: options.maxInFlight ?? 16,
        ackTimeoutMs: options.ackTimeoutMs ?? 10_000,
        retryMs: options.retryMs ?? 1000,
        maxBodyBytes: options.maxBodyBytes ?? 4096,
      },
      idPrefix,
    );
    this.#inbox = new Inbox(link, this.#store, this.#queue, {
      ackDelayMs: options.ackDelayMs ?? 200,
      gapWaitMs: options.gapWaitMs ?? 1000,
      maxHeld: options.maxHeld ?? 1000,
      requestTimeoutMs,
    });
  }

  /** Reads the store once, before the first connection. */
  load(): Promise<void> {
    if (this.#unavailable) return Promise.resolve();
    this.#loaded ??= (async () => {
      const [entries, cursors] = await Promise.all([this.#queue.run(() => this.#store.loadOutbox()), this.#queue.run(() => this.#store.loadCursors())]);
      this.#outbox.restore(entries ?? []);
      this.#inbox.restore(cursors ?? {});
    })();
    return this.#loaded;
  }

  /**
   * Sends a message; resolves with the server's ack (the message is stored), after reconnects if
   * needed. Rejects with the reply's code when the server refuses it for good, OUTBOX_FULL,
   * TOO_LARGE, or CLOSED when the client is closed first (the store keeps it for the next session).
   */
  send(to: Target, payload: string, options: { contentType?: string } = {}): Promise<SendAck> {
    if (this.#unavailable) return Promise.reject(this.#unavailable);
    return this.#outbox.send(to, payload, options.contentType ?? 'text');
  }

  /** Sends waiting for their ack, oldest first. */
  outbox(): OutboxEntry[] {
    return this.#outbox.pending();
  }

  /** Drops a waiting send (not one on the wire right now); its promise rejects with CLOSED. */
  discard(clientMsgId: string): boolean {
    return this.#outbox.discard(clientMsgId);
  }

  /** Per conversation, the highest seq handed to the app with none missing below it. */
  cursors(): Record<string, number> {
    return this.#inbox.cursors();
  }

  /**
   * A page of stored messages before `before` (default: the newest), ascending. Served by sync
   * (op 22) over the socket: sequence numbers have no gaps, so a page before N is the page after
   * N - 1 - limit.
   */
  async history(conv: string, options: { before?: number; limit?: number } = {}): Promise<HistoryPage> {
    const limit = Math.min(200, Math.max(1, options.limit ?? 50));
    const before = options.before ?? (await this.#syncPage(conv, 0, 1)).last_seq + 1;
    const after = Math.max(0, before - 1 - limit);
    const count = before - 1 - after;
    const page = count > 0 ? await this.#syncPage(conv, after, count) : { messages: [], last_seq: before - 1 };
    return { conv, messages: page.messages.map(toMessage), lastSeq: page.last_seq, hasMore: after > 0 };
  }

  /** The user's conversations with their last seq, read cursor and unread count (op 31). */
  async conversations(options: { limit?: number } = {}): Promise<Conversation[]> {
    const reply = await this.#request<{ conversations: WireConversation[] }>(Op.ChatConversations, { limit: options.limit ?? LIST_LIMIT }, true);
    return reply.conversations.map(toConversation);
  }

  /** Tells the server (and so the other members) that the user has read `conv` up to `seq` (op 24). */
  markRead(conv: string, seq: number): void {
    if (this.#unavailable) return;
    if (this.#link.send(Op.ChatRead, JSON.stringify({ conv, seq }))) return;
    this.#reads.set(conv, Math.max(seq, this.#reads.get(conv) ?? 0));
  }

  /** Takes back one of the user's messages (op 26); rejects with RECALL_REFUSED past the window. */
  async recall(conv: string, seq: number): Promise<void> {
    await this.#request(Op.ChatRecall, { conv, seq }, false);
  }

  /** Handles a chat packet from the server; false when it is not one. */
  handle(packet: Packet): boolean {
    const event = packet.op === Op.ChatMessage || packet.op === Op.ChatReadReceipt || packet.op === Op.ChatRecalled;
    if (!event || this.#unavailable) return event;
    const body = JSON.parse(decodeText(packet.body)) as unknown;
    if (packet.op === Op.ChatMessage) this.#inbox.accept(toMessage(body as WireMessage));
    else if (packet.op === Op.ChatReadReceipt) this.#link.emit('receipt', body as ReadReceipt);
    else this.#link.emit('recalled', body as Recalled);
    return true;
  }

  /** A connection is up: re-send, catch up, acknowledge. */
  up(): void {
    if (this.#unavailable) return;
    const generation = ++this.#generation;
    this.#outbox.pump();
    for (const [conv, seq] of this.#reads) this.#link.send(Op.ChatRead, JSON.stringify({ conv, seq }));
    this.#reads.clear();
    this.#inbox.flushAcks();
    void this.#resume(generation);
  }

  down(): void {
    this.#generation++;
  }

  /** The client stopped: pending sends fail with `error`, cursors are saved, timers end. */
  stop(error: ClientError): void {
    this.#generation++;
    this.#outbox.stop(error);
    this.#inbox.stop();
  }

  async #resume(generation: number): Promise<void> {
    let list: { code: number; conversations: WireConversation[] };
    try {
      const reply = await this.#link.requestNow(Op.ChatConversations, JSON.stringify({ limit: LIST_LIMIT }), this.#requestTimeoutMs);
      list = JSON.parse(decodeText(reply.body)) as typeof list;
    } catch {
      return; // the socket was lost: the next connection resumes
    }
    if (generation !== this.#generation || list.code !== 0) return;
    const behind = this.#inbox.listed(list.conversations.map(toConversation));
    await Promise.all(behind.map((conv) => this.#inbox.sync(conv)));
    if (generation === this.#generation) this.#link.emit('synced', { conversations: behind.length });
  }

  #syncPage(conv: string, after: number, limit: number): Promise<WireSyncPage> {
    return this.#request<WireSyncPage>(Op.ChatSync, { conv, after, limit }, true);
  }

  /** A chat request whose reply carries `code`; a non-zero code rejects with its documented error. */
  async #request<T>(op: number, body: object, retry: boolean): Promise<T> {
    if (this.#unavailable) throw this.#unavailable;
    const reply = await this.#link.call(op, JSON.stringify(body), retry);
    const answer = JSON.parse(decodeText(reply.body)) as T & { code: number; message?: string };
    if (answer.code !== 0) throw chatError(answer);
    return answer;
  }
}
