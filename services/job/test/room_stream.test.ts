import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '@imcluster/proto';
import { cluster } from './helpers.ts';

const batch = (...bodies: string[]): Message[] => bodies.map((body) => ({ op: 1000, body: Buffer.from(body), ts: 0 }));

describe('CometPool room batches (RoomStream)', () => {
  it('sends batches on one stream, in order, each resolved by the comet\'s answer', async (t) => {
    const { pool, comets } = await cluster(t, ['c1']);
    const sent = await Promise.all([pool.room('c1', 'r1', batch('a')), pool.room('c1', 'r2', batch('b', 'c')), pool.room('c1', 'r1', batch('d'))]);
    assert.deepEqual(sent, [true, true, true]);
    assert.deepEqual(comets.c1!.accepted('BroadcastRoom').map((c) => [c.room, c.bodies]), [['r1', ['a']], ['r2', ['b', 'c']], ['r1', ['d']]]);
  });

  it('a comet without RoomStream (an older version) gets each batch as a BroadcastRoom call, the first ones included', async (t) => {
    const { pool, comets } = await cluster(t, ['c1'], 1, { withoutRoomStream: true });
    assert.deepEqual(await Promise.all([pool.room('c1', 'r', batch('a')), pool.room('c1', 's', batch('b'))]), [true, true]);
    assert.equal(await pool.room('c1', 'r', batch('c')), true);
    assert.deepEqual(comets.c1!.accepted('BroadcastRoom').map((c) => c.bodies[0]).sort(), ['a', 'b', 'c']);
  });

  it('a batch unanswered within the deadline fails the stream; the next batch opens a new one', async (t) => {
    const { pool, comets } = await cluster(t, ['c1'], 1, { timeoutMs: 300 });
    comets.c1!.hold = true;
    await assert.rejects(pool.room('c1', 'r', batch('late')), /no answer on the room stream within 300 ms/);
    comets.c1!.hold = false;
    assert.equal(await pool.room('c1', 'r', batch('next')), true);
    assert.deepEqual(comets.c1!.calls.map((c) => c.bodies[0]), ['late', 'next']);
  });

  it('a refused batch rejects (the queue batch stays uncommitted) and the stream opens again for the next', async (t) => {
    const { pool, comets } = await cluster(t, ['c1']);
    comets.c1!.failNext = 1;
    await assert.rejects(pool.room('c1', 'r', batch('refused')), (error: { code?: number }) => error.code === 14);
    assert.equal(await pool.room('c1', 'r', batch('again')), true);
    assert.deepEqual(comets.c1!.accepted('BroadcastRoom').map((c) => c.bodies[0]), ['again']);
  });
});
