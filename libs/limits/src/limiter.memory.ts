import { RateLimiterMemory } from 'rate-limiter-flexible';
import { FlexibleLimiter } from './flexible.ts';
import type { Limiter, LimitRule, LimitStore } from './limiter.ts';

/** In-process counts (standalone mode, tests): this process counts on its own. */
export class MemoryLimitStore implements LimitStore {
  readonly #counts = new Map<string, RateLimiterMemory>();

  /** The first limiter of a name fixes its rule's numbers; later ones of the name share its counts. */
  limiter(rule: LimitRule): Limiter {
    let counts = this.#counts.get(rule.name);
    if (!counts) {
      counts = new RateLimiterMemory({ keyPrefix: rule.name, points: rule.points, duration: rule.durationSec, blockDuration: rule.blockSec ?? 0 });
      this.#counts.set(rule.name, counts);
    }
    return new FlexibleLimiter(counts, `limit ${rule.name}`);
  }

  async close(): Promise<void> {
    this.#counts.clear();
  }
}
