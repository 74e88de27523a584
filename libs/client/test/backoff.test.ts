import assert from 'node:assert/strict';
import { it } from 'node:test';
import { backoffDelay, isTerminalCode, Rotation } from '../src/backoff.ts';

it('waits a random time between 0 and an exponentially growing ceiling, capped (full jitter)', () => {
  const options = { baseMs: 100, maxMs: 1000, drainMaxMs: 0 };
  for (const [attempt, ceiling] of [[1, 100], [2, 200], [4, 800], [5, 1000], [60, 1000]] as const) {
    const delays = Array.from({ length: 400 }, () => backoffDelay(attempt, options));
    assert.ok(delays.every((d) => d >= 0 && d < ceiling), `attempt ${attempt} within [0, ${ceiling})`);
    assert.ok(Math.max(...delays) > ceiling * 0.8 && Math.min(...delays) < ceiling * 0.2, `attempt ${attempt} spread over the range`);
  }
});

it('classifies close codes as docs/client.md says', () => {
  const retried = [1000, 1001, 1006, 1011, 3001, 3002, 3003, 3004, 3499, 4000, 4499];
  const terminal = [1009, 3500, 3501, 3504, 3508, 3999, 4500, 4999];
  assert.deepEqual(retried.filter(isTerminalCode), []);
  assert.deepEqual(terminal.filter((c) => !isTerminalCode(c)), []);
});

it('rotates through the comets from a random first one', () => {
  const urls = ['a', 'b', 'c'];
  const firsts = new Set<string>();
  for (let i = 0; i < 60; i++) {
    const rotation = new Rotation();
    const picks = [rotation.next(urls), rotation.next(urls), rotation.next(urls)];
    assert.deepEqual([...picks].sort(), urls, 'each comet once per round');
    firsts.add(picks[0]!);
  }
  assert.equal(firsts.size, 3, 'the first pick varies');
});
