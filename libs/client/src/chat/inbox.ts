import { Op } from '@imcluster/protocol/ops';
import { decodeText } from '../codec.ts';
import type { ChatLink, StoreQueue } from './link.ts';
import type { ChatStore } from './store.ts';
import { toMessage, type WireMessage } from './wire.ts';
import type { ChatMessage, Conversation } from './types.ts';

export interface InboxOptions {
  /** Acks (op 21) and cursor saves are batched over this long, ms (default 200). */
  ackDelayMs: number;
  /** A gap not filled by live deliveries within this long is synced, ms (default 1000). */
  gapWaitMs: number;
  /** Messages held back behind a gap, per conversation; further ones are left for sync (default 1000). */
  maxHeld: number;
  requestTimeoutMs: number;
}

interface ConvState {
  conv: string;
  /** Highest seq handed to the app with none missing below it; undefined until its start is known. */
  contiguous: number | undefined;
  held: Map<number, ChatMessage>;
  gapTimer: ReturnType<typeof setTimeout> | undefined;
  /** The sync in progress, if any. */
  syncing: Promise<void> | undefined;
  /** Another sync was asked for while one ran. */
  again: boolean;
}

interface WireSync {
  code: number;
  messages: WireMessage[];
  more: boolean;
}

/** Largest sync page the server serves. */
const SYNC_PAGE = 200;

/**
 * Incoming chat: each (conv, seq) reaches the app once, in seq order per conversation. Later
 * messages wait behind a gap until live deliveries or a sync (op 22) fill it; progress is
 * acknowledged cumulatively (op 21) and saved in the store, batched.
 */
export class Inbox {
  readonly #link: ChatLink;
  readonly #store: ChatStore;
  readonly #queue: StoreQueue;
  readonly #o: InboxOptions;
  readonly #convs = new Map<string, ConvState>();
  /** Set by the first conversation list: from then on an unknown conversation starts at seq 1. */
  #startKnown = false;
  #toSave = new Set<ConvState>();
  #toAck = new Set<ConvState>();
  #ackTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(link: ChatLink, store: ChatStore, queue: StoreQueue, options: InboxOptions) {
    this.#link = link;
    this.#store = store;
    this.#queue = queue;
    this.#o = options;
  }

  /** Cursors saved by an earlier session. */
  restore(cursors: Record<string, number>): void {
    for (const [conv, seq] of Object.entries(cursors)) this.#state(conv).contiguous = seq;
  }

  /** The conversations this device knows, with the seq it holds in each. */
  cursors(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.#convs.values()) if (s.contiguous !== undefined) out[s.conv] = s.contiguous;
    return out;
  }

  /** A message from a live delivery (op 20) or a sync page. */
  accept(message: ChatMessage): void {
    const s = this.#state(message.conv);
    if ((s.contiguous !== undefined && message.seq <= s.contiguous) || s.held.has(message.seq)) return;
    if (s.contiguous !== undefined && message.seq > s.contiguous + this.#o.maxHeld) return void this.sync(s.conv);
    s.held.set(message.seq, message);
    this.#flush(s);
  }

  /**
   * After the connection's conversation list: a conversation this device has no cursor for starts
   * from the server's delivered cursor. Returns the conversations behind the server's last seq.
   */
  listed(list: Conversation[]): string[] {
    const behind: string[] = [];
    for (const c of list) {
      const s = this.#state(c.conv);
      if (s.contiguous === undefined) this.#start(s, c.deliveredSeq);
      if (c.lastSeq > s.contiguous!) behind.push(c.conv);
    }
    for (const s of this.#convs.values()) if (s.contiguous === undefined) this.#start(s, 0);
    this.#startKnown = true;
    return behind;
  }

  /** Fetches everything after the held cursor, page by page; resolves when caught up or the socket is lost. */
  sync(conv: string): Promise<void> {
    const s = this.#state(conv);
    if (s.contiguous === undefined) return Promise.resolve(); // synced once its start is known
    if (s.syncing) {
      s.again = true;
      return s.syncing;
    }
    s.syncing = this.#syncPages(s).finally(() => (s.syncing = undefined));
    return s.syncing;
  }

  async #syncPages(s: ConvState): Promise<void> {
    const conv = s.conv;
    try {
      for (let more = true; more && !this.#stopped; ) {
        s.again = false;
        const reply = await this.#link.requestNow(Op.ChatSync, JSON.stringify({ conv, after: s.contiguous, limit: SYNC_PAGE }), this.#o.requestTimeoutMs);
        const page = JSON.parse(decodeText(reply.body)) as WireSync;
        if (page.code !== 0) return; // e.g. no longer a member
        for (const message of page.messages) this.accept(toMessage(message));
        more = (page.more && page.messages.length > 0) || s.again;
      }
    } catch {
      // The socket was lost: the resume after the reconnect syncs again.
    }
  }

  /** Saves the cursors that moved and acknowledges them when connected (else on the next connection). */
  flushAcks(): void {
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
    for (const s of this.#toSave) {
      const seq = s.contiguous!;
      void this.#queue.run(() => this.#store.saveCursor(s.conv, seq));
      this.#toAck.add(s);
    }
    this.#toSave.clear();
    if (!this.#link.connected()) return;
    for (const s of this.#toAck) this.#link.send(Op.ChatAck, JSON.stringify({ conv: s.conv, seq: s.contiguous }));
    this.#toAck.clear();
  }

  stop(): void {
    this.flushAcks();
    this.#stopped = true;
    for (const s of this.#convs.values()) clearTimeout(s.gapTimer);
  }

  #state(conv: string): ConvState {
    let s = this.#convs.get(conv);
    if (!s) {
      s = { conv, contiguous: this.#startKnown ? 0 : undefined, held: new Map(), gapTimer: undefined, syncing: undefined, again: false };
      this.#convs.set(conv, s);
    }
    return s;
  }

  #start(s: ConvState, seq: number): void {
    s.contiguous = seq;
    for (const held of s.held.keys()) if (held <= seq) s.held.delete(held);
    this.#flush(s);
  }

  /** Hands the messages that follow the cursor to the app; a remaining gap is synced if it lasts. */
  #flush(s: ConvState): void {
    if (s.contiguous === undefined) return;
    let advanced = false;
    for (let next = s.held.get(s.contiguous + 1); next && !this.#stopped; next = s.held.get(s.contiguous + 1)) {
      s.held.delete(next.seq);
      s.contiguous = next.seq;
      advanced = true;
      this.#link.emit('message', next);
    }
    if (advanced) {
      this.#toSave.add(s);
      this.#ackTimer ??= setTimeout(() => this.flushAcks(), this.#o.ackDelayMs);
    }
    if (s.held.size === 0 || this.#stopped) {
      clearTimeout(s.gapTimer);
      s.gapTimer = undefined;
    } else if (advanced || !s.gapTimer) {
      clearTimeout(s.gapTimer);
      s.gapTimer = setTimeout(() => {
        s.gapTimer = undefined;
        void this.sync(s.conv);
      }, this.#o.gapWaitMs);
    }
  }
}
