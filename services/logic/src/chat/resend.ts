import type { Logger } from '@imcluster/common';
import type { Storage } from '@imcluster/storage';

interface Pending {
  user: number;
  conv: string;
  seq: number;
  attempt: number;
  timer?: NodeJS.Timeout;
}

/**
 * Re-sends what a receiver has not acknowledged, on a back-off schedule (default 2, 5, 7, 11 s
 * between attempts), then leaves the rest to sync at the next connection. One entry per
 * (receiver, conversation) holds the highest seq to see acknowledged; entries are bounded, the
 * oldest dropped first (its messages are still stored and reach the client by sync).
 */
export class ResendScheduler {
  readonly #storage: Storage;
  readonly #resend: (user: number, conv: string, afterSeq: number, uptoSeq: number) => Promise<void>;
  readonly #scheduleMs: number[];
  readonly #maxPending: number;
  readonly #logger: Logger;
  readonly #pending = new Map<string, Pending>();

  constructor(opts: {
    storage: Storage;
    resend: (user: number, conv: string, afterSeq: number, uptoSeq: number) => Promise<void>;
    scheduleMs: number[];
    maxPending: number;
    logger: Logger;
  }) {
    this.#storage = opts.storage;
    this.#resend = opts.resend;
    this.#scheduleMs = opts.scheduleMs;
    this.#maxPending = opts.maxPending;
    this.#logger = opts.logger;
  }

  /** Expect `user` to acknowledge `conv` up to `seq`. */
  track(user: number, conv: string, seq: number): void {
    if (this.#scheduleMs.length === 0) return;
    const id = `${user}|${conv}`;
    const current = this.#pending.get(id);
    if (current) {
      current.seq = Math.max(current.seq, seq);
      return;
    }
    if (this.#pending.size >= this.#maxPending) this.#dropOldest();
    const entry: Pending = { user, conv, seq, attempt: 0 };
    this.#pending.set(id, entry);
    this.#schedule(id, entry);
  }

  close(): void {
    for (const entry of this.#pending.values()) clearTimeout(entry.timer);
    this.#pending.clear();
  }

  #schedule(id: string, entry: Pending): void {
    entry.timer = setTimeout(() => void this.#check(id, entry), this.#scheduleMs[entry.attempt]);
    entry.timer.unref();
  }

  async #check(id: string, entry: Pending): Promise<void> {
    if (this.#pending.get(id) !== entry) return;
    try {
      const [state] = await this.#storage.conversationsOf(entry.user, [entry.conv]);
      const delivered = state?.delivered ?? 0;
      if (delivered >= entry.seq) return void this.#pending.delete(id);
      await this.#resend(entry.user, entry.conv, delivered, entry.seq);
    } catch (error) {
      this.#logger.warn({ err: error, user: entry.user, conv: entry.conv }, 'resend failed; will try again');
    }
    entry.attempt++;
    if (entry.attempt < this.#scheduleMs.length) this.#schedule(id, entry);
    else this.#pending.delete(id); // left for sync
  }

  #dropOldest(): void {
    const [id, entry] = this.#pending.entries().next().value ?? [];
    if (!id || !entry) return;
    clearTimeout(entry.timer);
    this.#pending.delete(id);
  }
}
