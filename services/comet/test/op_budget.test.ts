import assert from 'node:assert/strict';
import { it } from 'node:test';
import { OpBudget } from '../src/op_budget.ts';

it('allows a burst, then the sustained rate, never more than the burst after a pause', () => {
  const budget = new OpBudget({ perSec: 10, burst: 5 }, 0);
  const taken = (now: number, n: number) => Array.from({ length: n }, () => budget.take(now)).filter(Boolean).length;
  assert.equal(taken(0, 8), 5, 'the burst');
  assert.equal(taken(100, 3), 1, '10 a second: one more after 100 ms');
  assert.equal(taken(60_000, 20), 5, 'a long pause refills to the burst, not beyond');
});
