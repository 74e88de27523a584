import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MicroBatcher, type MicroBatcherOptions } from '../src/batcher.ts';
import { QueueError } from '../src/errors.ts';

const options: MicroBatcherOptions = { lingerMs: 1, maxBatchItems: 100, maxBatchBytes: 1_000_000, maxPendingItems: 1_000 };

/** A batcher over number[] entries whose flushes are recorded and can be held or failed. */
function recordingBatcher(overrides: Partial<MicroBatcherOptions> = {}) {
  const flushes: number[][] = [];
  let gate: Promise<void> = Promise.resolve();
  let fail: Error | undefined;
  const batcher = new MicroBatcher<number[]>(
    async (entries) => {
      flushes.push(entries.flat());
      await gate;
      if (fail !== undefined) throw fail;
    },
    (entry) => ({ items: entry.length, bytes: entry.length }),
    { ...options, ...overrides },
  );
  return {
    batcher,
    flushes,
    hold: (): (() => void) => {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return open;
    },
    failWith: (error: Error | undefined) => (fail = error),
  };
}

describe('MicroBatcher', () => {
  it('coalesces concurrent adds into one flush, in call order', async () => {
    const { batcher, flushes } = recordingBatcher();
    await Promise.all([batcher.add([1]), batcher.add([2, 3]), batcher.add([4])]);
    assert.deepEqual(flushes, [[1, 2, 3, 4]]);
  });

  it('with lingerMs 0 still coalesces the adds of one turn of the event loop', async () => {
    const { batcher, flushes } = recordingBatcher({ lingerMs: 0 });
    await Promise.all([batcher.add([1]), batcher.add([2])]);
    await batcher.add([3]);
    assert.deepEqual(flushes, [[1, 2], [3]]);
  });

  it('keeps one flush in flight and sends what arrived meanwhile right after it', async () => {
    const { batcher, flushes, hold } = recordingBatcher();
    const open = hold();
    const first = batcher.add([1]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const later = [batcher.add([2]), batcher.add([3])];
    assert.deepEqual(flushes, [[1]]);
    open();
    await Promise.all([first, ...later]);
    assert.deepEqual(flushes, [[1], [2, 3]]);
  });

  it('splits at maxBatchItems without splitting an entry', async () => {
    const { batcher, flushes } = recordingBatcher({ maxBatchItems: 3 });
    await Promise.all([batcher.add([1, 2]), batcher.add([3, 4]), batcher.add([5, 6, 7, 8])]);
    assert.deepEqual(flushes, [[1, 2], [3, 4], [5, 6, 7, 8]]);
  });

  it('rejects every add of a failed flush with its error, and recovers', async () => {
    const { batcher, failWith } = recordingBatcher();
    const boom = new Error('boom');
    failWith(boom);
    const results = await Promise.allSettled([batcher.add([1]), batcher.add([2])]);
    assert.deepEqual(results, [
      { status: 'rejected', reason: boom },
      { status: 'rejected', reason: boom },
    ]);
    failWith(undefined);
    await batcher.add([3]);
  });

  it('refuses adds beyond maxPendingItems with QUEUE_FULL', async () => {
    const { batcher, hold } = recordingBatcher({ maxPendingItems: 3 });
    const open = hold();
    const inFlight = batcher.add([1]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const waiting = batcher.add([2, 3]);
    await assert.rejects(batcher.add([4, 5]), (error) => error instanceof QueueError && error.reason === 'QUEUE_FULL');
    open();
    await Promise.all([inFlight, waiting]);
  });

  it('close() flushes what waits and refuses later adds', async () => {
    const { batcher, flushes } = recordingBatcher({ lingerMs: 60_000 });
    const pending = batcher.add([1]);
    await batcher.close();
    await pending;
    assert.deepEqual(flushes, [[1]]);
    await assert.rejects(batcher.add([2]), (error) => error instanceof QueueError && error.reason === 'CLOSED');
  });
});
