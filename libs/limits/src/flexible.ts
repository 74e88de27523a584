import { ImError } from '@imcluster/common';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Limiter, Verdict } from './limiter.ts';

/**
 * A Limiter over one rate-limiter-flexible limiter (both adapters): it refuses by rejecting with
 * a RateLimiterRes and fails with any other error, which here becomes UNAVAILABLE.
 */
export class FlexibleLimiter implements Limiter {
  readonly #limiter: RateLimiterAbstract;
  readonly #what: string;

  constructor(limiter: RateLimiterAbstract, what: string) {
    this.#limiter = limiter;
    this.#what = what;
  }

  async take(key: string): Promise<Verdict> {
    try {
      const res = await this.#limiter.consume(key);
      return { allowed: true, remaining: res.remainingPoints };
    } catch (error) {
      if (error instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(1, error.msBeforeNext) };
      throw new ImError('UNAVAILABLE', `${this.#what}: the limit store did not answer`, { cause: error });
    }
  }

  async reset(key: string): Promise<void> {
    try {
      await this.#limiter.delete(key);
    } catch (error) {
      throw new ImError('UNAVAILABLE', `${this.#what}: the limit store did not answer`, { cause: error });
    }
  }
}
