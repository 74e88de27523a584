/** What one attempt was told: go ahead, or wait `retryAfterMs` before trying again. */
export type Verdict = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

/** One limit: at most `points` attempts per key in each window of `durationSec`. */
export interface LimitRule {
  /** Names the limit: limiters of different names count apart. */
  name: string;
  points: number;
  durationSec: number;
  /**
   * Once a key is refused, it stays refused this long from the refusal (a lockout), whatever its
   * window; 0 or absent: only until its window ends.
   */
  blockSec?: number;
}

/**
 * Counts attempts per key (a client address, an account name) against one LimitRule.
 *
 * Contract:
 * - take() counts one attempt and allows it while the key has taken at most `points` in its
 *   window; the window starts at the key's first take and lasts `durationSec`. A refused attempt
 *   says how long until an attempt may succeed (> 0, at most the window or the lockout).
 * - Counting is atomic: of many concurrent takes on a fresh key exactly `points` are allowed.
 * - Keys count apart; limiters of one rule name from one LimitStore count together.
 * - reset() forgets the key: its next take starts a new window, also during a lockout.
 * - Entries expire by themselves once their window or lockout is over: nothing grows without bound.
 * - A store that cannot be reached rejects with an ImError of code UNAVAILABLE (never allows
 *   silently).
 */
export interface Limiter {
  take(key: string): Promise<Verdict>;
  reset(key: string): Promise<void>;
}

/**
 * Where the counts live: limiters of one rule name from one store count together (the Redis
 * adapter: a Redis shared by every process of the cluster; the memory adapter: this process).
 */
export interface LimitStore {
  limiter(rule: LimitRule): Limiter;
  close(): Promise<void>;
}
