import type { Logger } from '@imcluster/common';
import type { LogicPool } from './logic_pool.ts';

const CHUNK = 1000;

/**
 * Tells logic which connections closed, in batches: when thousands of clients drop at once (a
 * network blip, a drain) one call per connection would swamp logic and time out, leaving stale
 * routes until they expire. Failed batches are retried; the queue is bounded (beyond it the
 * oldest are dropped and their routes simply expire with the routing TTL).
 */
export class GoneReporter {
  readonly #logic: LogicPool;
  readonly #serverId: string;
  readonly #flushMs: number;
  readonly #maxQueued: number;
  readonly #logger: Logger;
  #queue: { mid: number; key: string }[] = [];
  #timer?: NodeJS.Timeout;
  #flushing?: Promise<void>;

  constructor(opts: { logic: LogicPool; serverId: string; flushMs: number; maxQueued: number; logger: Logger }) {
    this.#logic = opts.logic;
    this.#serverId = opts.serverId;
    this.#flushMs = opts.flushMs;
    this.#maxQueued = opts.maxQueued;
    this.#logger = opts.logger;
  }

  report(mid: number, key: string): void {
    this.#queue.push({ mid, key });
    if (this.#queue.length > this.#maxQueued) this.#queue.splice(0, this.#queue.length - this.#maxQueued);
    this.#timer ??= setTimeout(() => void this.flush(), this.#flushMs);
  }

  /** Sends everything queued now (also used by a draining comet before it stops). */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#flushing;
    this.#flushing = this.#send();
    await this.#flushing;
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #send(): Promise<void> {
    while (this.#queue.length > 0) {
      const gone = this.#queue.splice(0, CHUNK);
      try {
        await this.#logic.call((c, md, opts, cb) => c.disconnectMany({ server: this.#serverId, gone }, md, opts, cb));
      } catch (error) {
        this.#queue.unshift(...gone);
        this.#logger.warn({ err: error, queued: this.#queue.length }, 'disconnects not recorded yet; retrying');
        this.#timer ??= setTimeout(() => void this.flush(), Math.max(1000, this.#flushMs));
        return;
      }
    }
  }
}
