import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '@imcluster/proto';
import type { StreamPush } from '../src/push_stream.ts';
import { cluster } from './helpers.ts';

const msg = (body: string): Message => ({ op: 1000, body: Buffer.from(body), ts: 0 });
const room = (name: string, ...bodies: string[]): StreamPush => ({ room: { room: name, msgs: bodies.map(msg) } });
const keys = (body: string, ...to: string[]): StreamPush => ({ keys: { keys: to, msg: msg(body), force: true } });

describe('CometPool pushes (PushStream)', () => {
  it('sends room batches and key pushes on one stream, in order, each resolved by the comet\'s answer', async (t) => {
    const { pool, comets } = await cluster(t, ['c1']);
    const sent = await Promise.all([pool.push('c1', room('r1', 'a')), pool.push('c1', keys('k', 'key-1', 'key-2')), pool.push('c1', room('r2', 'b', 'c')), pool.push('c1', room('r1', 'd'))]);
    assert.deepEqual(sent, [true, true, true, true]);
    const calls = comets.c1!.accepted().map((c) => [c.method, c.room ?? c.keys, c.bodies]);
    assert.deepEqual(calls, [
      ['BroadcastRoom', 'r1', ['a']],
      ['PushKeys', ['key-1', 'key-2'], ['k']],
      ['BroadcastRoom', 'r2', ['b', 'c']],
      ['BroadcastRoom', 'r1', ['d']],
    ]);
    assert.equal(comets.c1!.accepted('PushKeys')[0]!.force, true);
  });

  it('a comet without PushStream (an older version) gets each push as a BroadcastRoom or PushKeys call, the first ones included', async (t) => {
    const { pool, comets } = await cluster(t, ['c1'], 1, { withoutPushStream: true });
    assert.deepEqual(await Promise.all([pool.push('c1', room('r', 'a')), pool.push('c1', keys('b', 'key-1'))]), [true, true]);
    assert.equal(await pool.push('c1', room('r', 'c')), true);
    assert.deepEqual(comets.c1!.accepted('BroadcastRoom').map((c) => c.bodies[0]).sort(), ['a', 'c']);
    assert.deepEqual(comets.c1!.accepted('PushKeys').map((c) => [c.keys, c.bodies[0]]), [[['key-1'], 'b']]);
  });

  it('a push unanswered within the deadline fails the stream; the next push opens a new one', async (t) => {
    const { pool, comets } = await cluster(t, ['c1'], 1, { timeoutMs: 300 });
    comets.c1!.hold = true;
    await assert.rejects(pool.push('c1', keys('late', 'key-1')), /no answer on the push stream within 300 ms/);
    comets.c1!.hold = false;
    assert.equal(await pool.push('c1', room('r', 'next')), true);
    assert.deepEqual(comets.c1!.calls.map((c) => c.bodies[0]), ['late', 'next']);
  });

  it('a refused push rejects (the queue batch stays uncommitted) and the stream opens again for the next', async (t) => {
    const { pool, comets } = await cluster(t, ['c1']);
    comets.c1!.failNext = 1;
    await assert.rejects(pool.push('c1', room('r', 'refused')), (error: { code?: number }) => error.code === 14);
    assert.equal(await pool.push('c1', keys('again', 'key-1')), true);
    assert.deepEqual(comets.c1!.accepted().map((c) => c.bodies[0]), ['again']);
  });
});
