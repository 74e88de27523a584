import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it, type TestContext } from 'node:test';
import type { LimitStore } from '../src/limiter.ts';

/** A fresh store of the adapter, closed after the test. */
export type MakeStore = (t: TestContext) => LimitStore;

const key = () => randomBytes(6).toString('hex');

/** The Limiter contract (src/limiter.ts), run on every adapter. */
export function limiterContract(name: string, makeStore: MakeStore): void {
  describe(`Limiter contract: ${name}`, { timeout: 30_000 }, () => {
    it('allows `points` takes per window, then refuses with the time until the window ends', async (t) => {
      const limiter = makeStore(t).limiter({ name: `r${key()}`, points: 3, durationSec: 60 });
      const k = key();
      const verdicts = [];
      for (let i = 0; i < 4; i++) verdicts.push(await limiter.take(k));
      assert.deepEqual(verdicts.slice(0, 3), [{ allowed: true, remaining: 2 }, { allowed: true, remaining: 1 }, { allowed: true, remaining: 0 }]);
      const refused = verdicts[3]!;
      assert.equal(refused.allowed, false);
      assert.ok(!refused.allowed && refused.retryAfterMs > 55_000 && refused.retryAfterMs <= 60_000, JSON.stringify(refused));
    });

    it('counts keys apart, and limiters of other names apart; limiters of one name together', async (t) => {
      const ruleName = `r${key()}`;
      const store = makeStore(t);
      const a = store.limiter({ name: ruleName, points: 1, durationSec: 60 });
      const b = store.limiter({ name: ruleName, points: 1, durationSec: 60 });
      const other = store.limiter({ name: `r${key()}`, points: 1, durationSec: 60 });
      const k = key();
      assert.equal((await a.take(k)).allowed, true);
      assert.equal((await b.take(k)).allowed, false, 'a second limiter of the same name shares the count');
      assert.equal((await other.take(k)).allowed, true, 'another rule counts apart');
      assert.equal((await a.take(key())).allowed, true, 'another key counts apart');
    });

    it('of concurrent takes on a fresh key exactly `points` are allowed', async (t) => {
      const limiter = makeStore(t).limiter({ name: `r${key()}`, points: 5, durationSec: 60 });
      const k = key();
      const verdicts = await Promise.all(Array.from({ length: 40 }, () => limiter.take(k)));
      assert.equal(verdicts.filter((v) => v.allowed).length, 5);
    });

    it('allows again once the window is over', async (t) => {
      const limiter = makeStore(t).limiter({ name: `r${key()}`, points: 1, durationSec: 1 });
      const k = key();
      assert.equal((await limiter.take(k)).allowed, true);
      assert.equal((await limiter.take(k)).allowed, false);
      await sleep(1_200);
      assert.equal((await limiter.take(k)).allowed, true);
    });

    it('a lockout (blockSec) outlasts the window; reset() ends it', async (t) => {
      const limiter = makeStore(t).limiter({ name: `r${key()}`, points: 1, durationSec: 1, blockSec: 30 });
      const k = key();
      assert.equal((await limiter.take(k)).allowed, true);
      const refused = await limiter.take(k);
      assert.ok(!refused.allowed && refused.retryAfterMs > 25_000, JSON.stringify(refused));
      await sleep(1_200);
      assert.equal((await limiter.take(k)).allowed, false, 'still locked out after the window');
      await limiter.reset(k);
      assert.equal((await limiter.take(k)).allowed, true);
    });
  });
}
