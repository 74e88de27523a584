import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { ImError } from '@imcluster/common';

// scrypt is memory-hard and built into Node; N=2^14, r=8 costs ~16 MiB and tens of ms per check,
// enough to make offline guessing expensive without a native dependency.
const N = 16384;
const R = 8;
const P = 1;
const KEY_LEN = 32;

export interface PasswordHasherOptions {
  /** scrypt computations at once (IM_PASSWORD_HASH_CONCURRENCY). */
  concurrency: number;
  /** Computations that may wait for a turn (IM_PASSWORD_HASH_QUEUE); beyond it callers get UNAVAILABLE. */
  queue: number;
}

/**
 * Password hashes with a bounded share of the process. scrypt runs on libuv's thread pool
 * (UV_THREADPOOL_SIZE threads, 4 by default), which token checks share: jose verifies HS256
 * through WebCrypto, whose HMAC jobs run on that pool too. Unbounded, a login flood fills every
 * pool thread and each socket auth waits behind the scrypt queue. So at most `concurrency`
 * computations run at once (fewer than the pool's threads: the rest stay free for token checks),
 * at most `queue` wait, and the next caller is refused at once with UNAVAILABLE (503, Retry-After: 1).
 */
export class PasswordHasher {
  readonly #o: PasswordHasherOptions;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(options: PasswordHasherOptions) {
    this.#o = options;
  }

  /** Returns `scrypt$N$r$p$salt$hash` (base64url parts), self-describing so parameters can change later. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await this.#derive(password, salt, N, R, P);
    return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64url');
    const actual = await this.#derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  async #derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
    await this.#turn();
    try {
      return await new Promise((resolve, reject) => {
        scrypt(password, salt, KEY_LEN, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
      });
    } finally {
      this.#release();
    }
  }

  /** Resolves when a computation may start; rejects at once when the queue is full. */
  #turn(): Promise<void> {
    if (this.#running < this.#o.concurrency) {
      this.#running++;
      return Promise.resolve();
    }
    if (this.#waiting.length >= this.#o.queue) return Promise.reject(new ImError('UNAVAILABLE', 'too many password checks at once', { retryAfterMs: 1000 }));
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Hands the finished computation's turn to the next waiter (the count stays), or frees it. */
  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#running--;
  }
}
