/** How many operations a connection may send: a sustained rate and a burst on top of it. */
export interface OpLimit {
  perSec: number;
  burst: number;
}

/**
 * A token bucket per connection: it holds up to `burst` tokens and gains `perSec` a second; each
 * counted operation takes one. Refilled lazily on take(), so it needs no timer.
 */
export class OpBudget {
  readonly #limit: OpLimit;
  #tokens: number;
  #at: number;

  constructor(limit: OpLimit, now = Date.now()) {
    this.#limit = limit;
    this.#tokens = limit.burst;
    this.#at = now;
  }

  /** Takes one token; false when there is none (the operation is over the limit). */
  take(now = Date.now()): boolean {
    this.#tokens = Math.min(this.#limit.burst, this.#tokens + ((now - this.#at) / 1000) * this.#limit.perSec);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
