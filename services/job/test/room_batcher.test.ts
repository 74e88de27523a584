import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from '@imcluster/proto';
import { RoomBatcher } from '../src/room_batcher.ts';
import { waitFor } from './helpers.ts';

/** A send() port that records each batch and settles it only when the test says so. */
class Sends {
  readonly batches: { room: string; bodies: string[]; settle: (error?: Error) => void }[] = [];
  /** Settle every batch at once (as a comet that accepts at once). */
  auto = false;

  readonly send = (room: string, msgs: Message[]): Promise<void> =>
    new Promise((resolve, reject) => {
      const settle = (error?: Error) => (error ? reject(error) : resolve());
      this.batches.push({ room, bodies: msgs.map((m) => String(m.body)), settle });
      if (this.auto) settle();
    });

  of(room: string): string[][] {
    return this.batches.filter((b) => b.room === room).map((b) => b.bodies);
  }
}

function batcher(t: TestContext, windowMs: number, max: number) {
  const sends = new Sends();
  const rooms = new RoomBatcher({ windowMs, max, send: sends.send });
  t.after(() => {
    rooms.flushAll();
    for (const b of sends.batches) b.settle();
  });
  return { sends, rooms, add: (room: string, body: string) => rooms.add(room, { op: 1000, body: Buffer.from(body) }) };
}

/** Whether `promise` has settled, without waiting for it. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  const winner = await Promise.race([promise.then(() => true, () => true), sleep(0, marker)]);
  return winner !== marker;
}

describe('RoomBatcher', () => {
  it('hands on a quiet room\'s messages at once, those added in the same turn together', async (t) => {
    const { sends, add } = batcher(t, 60_000, 100);
    sends.auto = true;
    await Promise.all([add('r', 'a'), add('r', 'b')]);
    assert.deepEqual(sends.of('r'), [['a', 'b']]);
  });

  it('after a batch, holds the room\'s next messages until the window since it passed', async (t) => {
    const { sends, add } = batcher(t, 40, 100);
    sends.auto = true;
    await add('r', 'a');
    const started = performance.now();
    const next = Promise.all([add('r', 'b'), add('r', 'c')]);
    await sleep(5);
    assert.deepEqual(sends.of('r'), [['a']], 'within the window: waiting');
    await next;
    assert.ok(performance.now() - started >= 25, 'waited for the rest of the window');
    assert.deepEqual(sends.of('r'), [['a'], ['b', 'c']]);
  });

  it('hands a waiting batch on as soon as it is full', async (t) => {
    const { sends, add } = batcher(t, 60_000, 2);
    sends.auto = true;
    await add('r', 'a');
    void add('r', 'b');
    await sleep(5);
    assert.deepEqual(sends.of('r'), [['a']], 'not full, window not over: waiting');
    await add('r', 'c');
    assert.deepEqual(sends.of('r'), [['a'], ['b', 'c']]);
  });

  it('keeps one room\'s batches in order: the next is handed on only after the previous settled, at most max at a time', async (t) => {
    const { sends, add } = batcher(t, 0, 2);
    const first = add('r', '1');
    await waitFor('the first batch', () => sends.batches.length === 1);
    const second = Promise.all([add('r', '2'), add('r', '3')]);
    const third = add('r', '4');
    await sleep(5);
    assert.deepEqual(sends.of('r'), [['1']], 'the others wait for the first');
    assert.equal(await settled(first), false, 'add() resolves only once its batch was accepted');
    sends.batches[0]!.settle();
    await first;
    await waitFor('the second batch', () => sends.batches.length === 2);
    assert.equal(await settled(second), false);
    sends.batches[1]!.settle();
    await second;
    await waitFor('the third batch', () => sends.batches.length === 3);
    sends.batches[2]!.settle();
    await third;
    assert.deepEqual(sends.of('r'), [['1'], ['2', '3'], ['4']]);
  });

  it('does not hold one room behind another room\'s slow batch', async (t) => {
    const { sends, add } = batcher(t, 60_000, 1);
    void add('slow', 's1');
    const fast = add('fast', 'f1');
    await waitFor('both rooms sent', () => sends.batches.length === 2);
    sends.batches.find((b) => b.room === 'fast')!.settle();
    await fast;
    assert.equal(sends.of('slow').length, 1);
  });

  it('rejects the adds of a refused batch, and still hands on the next batch after it', async (t) => {
    const { sends, add } = batcher(t, 60_000, 1);
    const refused = add('r', 'a');
    const next = add('r', 'b');
    await waitFor('the first batch', () => sends.batches.length === 1);
    sends.batches[0]!.settle(new Error('comet down'));
    await assert.rejects(refused, /comet down/);
    await waitFor('the next batch', () => sends.batches.length === 2);
    sends.batches[1]!.settle();
    await next;
    assert.deepEqual(sends.of('r'), [['a'], ['b']]);
  });

  it('flushAll hands on every waiting batch at once', async (t) => {
    const { sends, rooms, add } = batcher(t, 60_000, 100);
    sends.auto = true;
    await Promise.all([add('a', '0'), add('b', '0')]);
    const adds = [add('a', '1'), add('b', '2'), add('a', '3')];
    await sleep(5);
    rooms.flushAll();
    await Promise.all(adds);
    assert.deepEqual(sends.of('a'), [['0'], ['1', '3']]);
    assert.deepEqual(sends.of('b'), [['0'], ['2']]);
  });
});
