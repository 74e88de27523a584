import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Metrics } from '@imcluster/metrics';
import type { PushMsg__Output } from '@imcluster/proto';
import { Dispatcher } from '../src/dispatcher.ts';
import { cluster, waitFor, type Cluster } from './helpers.ts';

let pushes = 0;

/** A push as the job decodes it from the queue, with an id of its own (as logic gives each push). */
/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function push(fields: Partial<PushMsg__Output> & Pick<PushMsg__Output, 'type'>, body = 'x'): PushMsg__Output {
  return { operation: 1000, keys: [], mids: [], room: '', speed: 0, msg: Buffer.from(body), id: `p${++pushes}`, ts: 0, force: false, chat: null, ...fields };
}

const roomPush = (room: string, body: string) => push({ type: 'ROOM', room }, body);

async function setup(t: TestContext, ids: string[], options: { attempts?: number; roomBatchMs?: number; roomBatchMax?: number } = {}) {
  const c = await cluster(t, ids, options.attempts ?? 1);
  const dispatcher = new Dispatcher({ routing: c.routing, comets: c.pool, roomBatchMs: options.roomBatchMs ?? 5, roomBatchMax: options.roomBatchMax ?? 100, metrics: new Metrics().job });
  t.after(() => dispatcher.flush());
  return { ...c, dispatcher };
}

async function connect(c: Cluster, server: string, key: string, mid: number, room = ''): Promise<void> {
  await c.routing.addConnection({ server, key, mid, room });
}

describe('Dispatcher: room pushes', () => {
  it('hands a room batch only to the comets with members in the room', async (t) => {
    const s = await setup(t, ['c1', 'c2', 'c3']);
    await connect(s, 'c1', 'k1', 1, 'live://1');
    await connect(s, 'c2', 'k2', 2, 'live://1');
    await connect(s, 'c3', 'k3', 3, 'live://other');
    await Promise.all([s.dispatcher.dispatch(roomPush('live://1', 'a')), s.dispatcher.dispatch(roomPush('live://1', 'b'))]);
    for (const id of ['c1', 'c2']) assert.deepEqual(s.comets[id]!.accepted().map((c) => [c.method, c.room, c.bodies]), [['BroadcastRoom', 'live://1', ['a', 'b']]], id);
    assert.deepEqual(s.comets.c3!.calls, []);
    assert.equal(s.dispatcher.stats.roomBatches, 1, 'merged into one batch');
  });

  it('keeps a room\'s order across batches, each comet receiving them one after another', async (t) => {
    const s = await setup(t, ['c1', 'c2'], { roomBatchMax: 2, roomBatchMs: 60_000 });
    await connect(s, 'c1', 'k1', 1, 'r');
    await connect(s, 'c2', 'k2', 2, 'r');
    s.comets.c2!.hold = true;
    const done = ['1', '2', '3', '4', '5'].map((body) => s.dispatcher.dispatch(roomPush('r', body)));
    await waitFor('the first batch at both comets', () => s.comets.c1!.calls.length === 1 && s.comets.c2!.calls.length === 1);
    await sleep(20);
    assert.deepEqual([s.comets.c1!.calls.length, s.comets.c2!.calls.length], [1, 1], 'the second batch waits until every comet accepted the first');
    s.comets.c2!.hold = false;
    s.comets.c2!.releaseAll();
    s.dispatcher.flush();
    await Promise.all(done);
    for (const id of ['c1', 'c2']) assert.deepEqual(s.comets[id]!.accepted().map((c) => c.bodies), [['1', '2'], ['3', '4'], ['5']], id);
  });

  it('skips a comet that left the registry and counts it', async (t) => {
    const s = await setup(t, ['c1']);
    await connect(s, 'c1', 'k1', 1, 'r');
    await connect(s, 'gone', 'k2', 2, 'r');
    await s.dispatcher.dispatch(roomPush('r', 'a'));
    assert.equal(s.comets.c1!.accepted().length, 1);
    assert.equal(s.dispatcher.stats.skippedComets, 1);
  });
});

describe('Dispatcher: key and user pushes', () => {
  it('sends a user push to the comets holding the user\'s connections, keys grouped per comet, with force', async (t) => {
    const s = await setup(t, ['c1', 'c2', 'c3']);
    await connect(s, 'c1', 'a1', 7);
    await connect(s, 'c1', 'a2', 7);
    await connect(s, 'c2', 'a3', 7);
    await connect(s, 'c3', 'b1', 8);
    await s.dispatcher.dispatch(push({ type: 'MIDS', mids: [7], force: true }, 'hello'));
    assert.deepEqual(s.comets.c1!.accepted().map((c) => [c.method, [...c.keys!].sort(), c.force, c.bodies]), [['PushKeys', ['a1', 'a2'], true, ['hello']]]);
    assert.deepEqual(s.comets.c2!.accepted().map((c) => c.keys), [['a3']]);
    assert.deepEqual(s.comets.c3!.calls, []);
  });

  it('sends a key push to the comet holding that key only, and nothing for unknown keys', async (t) => {
    const s = await setup(t, ['c1', 'c2']);
    await connect(s, 'c1', 'k1', 1);
    await connect(s, 'c2', 'k2', 2);
    await s.dispatcher.dispatch(push({ type: 'KEYS', keys: ['k2', 'nobody'] }));
    assert.deepEqual(s.comets.c1!.calls, []);
    assert.deepEqual(s.comets.c2!.accepted().map((c) => [c.keys, c.force]), [[['k2'], false]]);
  });

  it('broadcasts to every registered comet, sharing the pacing among them', async (t) => {
    const s = await setup(t, ['c1', 'c2']);
    await s.dispatcher.dispatch(push({ type: 'BROADCAST', speed: 100 }, 'all'));
    for (const id of ['c1', 'c2']) assert.deepEqual(s.comets[id]!.accepted().map((c) => [c.method, c.speed, c.bodies]), [['Broadcast', 50, ['all']]], id);
  });
});

describe('Dispatcher: failing comets', () => {
  it('retries a failed comet call and resolves once it was accepted', async (t) => {
    const s = await setup(t, ['c1'], { attempts: 2 });
    await connect(s, 'c1', 'k1', 1);
    s.comets.c1!.failNext = 1;
    await s.dispatcher.dispatch(push({ type: 'KEYS', keys: ['k1'] }, 'again'));
    assert.deepEqual(s.comets.c1!.calls.map((c) => [c.refused, c.bodies]), [
      [true, ['again']],
      [false, ['again']],
    ]);
  });

  it('rejects when a comet keeps failing, so the queue batch stays uncommitted; its redelivery skips the comet that accepted it', async (t) => {
    const s = await setup(t, ['c1', 'c2'], { attempts: 2 });
    await connect(s, 'c1', 'k1', 1, 'r');
    await connect(s, 'c2', 'k2', 2, 'r');
    s.comets.c2!.failNext = 2;
    const lost = roomPush('r', 'lost?');
    await assert.rejects(s.dispatcher.dispatch(lost));
    assert.equal(s.comets.c2!.calls.filter((c) => c.refused).length, 2, 'tried `attempts` times');
    assert.equal(s.comets.c1!.accepted().length, 1, 'the healthy comet got it');
    await s.dispatcher.dispatch(lost);
    assert.deepEqual(s.comets.c2!.accepted().map((c) => c.bodies), [['lost?']]);
    assert.equal(s.comets.c1!.accepted().length, 1, 'not twice');
    assert.equal(s.dispatcher.stats.alreadyHandedOn, 1);
  });

  it('suspends a comet whose port refuses connections: the push resolves without it and the next one skips it', async (t) => {
    const s = await setup(t, ['c1'], { attempts: 3 });
    await s.registry.register({ id: 'dead', service: 'comet', addrs: { grpc: `127.0.0.1:${await closedPort()}` } });
    await waitFor('the dead comet in the pool', () => s.pool.has('dead'));
    await connect(s, 'c1', 'k1', 1);
    await connect(s, 'dead', 'k2', 2);
    await s.dispatcher.dispatch(push({ type: 'MIDS', mids: [1, 2] }, 'first'));
    assert.equal(s.pool.has('dead'), false);
    await s.dispatcher.dispatch(push({ type: 'MIDS', mids: [1, 2] }, 'second'));
    assert.deepEqual(s.comets.c1!.accepted().map((c) => c.bodies), [['first'], ['second']]);
    assert.equal(s.dispatcher.stats.skippedComets, 1);
  });
});
