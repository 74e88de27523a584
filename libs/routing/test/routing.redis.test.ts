import net from 'node:net';
import { after, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { infraDefaults } from '@imcluster/common';
import { RoutingError } from '../src/errors.ts';
import { RedisRouting } from '../src/routing.redis.ts';
import { keyConn, keyRoomServers, keyServerRooms, keyServers, keyUser, namespacePattern } from '../src/keys.ts';
import { routingContract } from './routing.contract.ts';
import { conn, randomNamespace } from './helpers.ts';

const redisUrl = process.env.IM_REDIS_URL ?? infraDefaults.redisUrl;

/** Inspects and cleans up keys the way another process would. */
const admin = new Redis(redisUrl);
after(() => admin.quit());

async function deleteNamespace(namespace: string): Promise<void> {
  for await (const keys of admin.scanStream({ match: namespacePattern(namespace), count: 1_000 })) {
    if ((keys as string[]).length) await admin.unlink(...(keys as string[]));
  }
}

function makeRouting(t: TestContext, ttlSec: number, namespace = randomNamespace(), reportTtlSec?: number): RedisRouting {
  const routing = new RedisRouting({ redis: redisUrl, namespace, ttlSec, ...(reportTtlSec ? { reportTtlSec } : {}) });
  t.after(async () => {
    await routing.close();
    await deleteNamespace(namespace);
  });
  return routing;
}

routingContract('redis', async (t, { ttlSec, reportTtlSec }) => makeRouting(t, ttlSec, randomNamespace(), reportTtlSec));

describe('RedisRouting (redis specifics)', () => {
  it('writes only the documented keys, all under the namespace, all with a TTL', async (t) => {
    const ns = randomNamespace();
    const routing = makeRouting(t, 60, ns);
    await routing.addConnection(conn('k1', 7, 'c1', 'live://1'));
    await routing.renewOnline('c1', { 'live://1': 1 });
    const expected = [
      keyConn(ns, 'k1'),
      keyUser(ns, 7),
      keyRoomServers(ns, 'live://1'),
      keyServerRooms(ns, 'c1'),
      keyServers(ns),
    ].sort();
    assert.deepEqual((await admin.keys(namespacePattern(ns))).sort(), expected);
    for (const key of expected) {
      const pttl = await admin.pttl(key);
      assert.ok(pttl > 55_000 && pttl <= 60_000, `${key} has PTTL ${pttl}`);
    }
    assert.equal(await admin.type(keyConn(ns, 'k1')), 'string');
    assert.equal(await admin.type(keyServerRooms(ns, 'c1')), 'hash');
  });

  it('trims expired members on the next write to the same set', async (t) => {
    const ns = randomNamespace();
    const routing = makeRouting(t, 60, ns);
    await admin.zadd(keyRoomServers(ns, 'live://1'), Date.now() - 1, 'c-dead');
    await routing.addConnection(conn('k1', 7, 'c1', 'live://1'));
    assert.equal(await admin.zscore(keyRoomServers(ns, 'live://1'), 'c-dead'), null);
  });

  it('leaves a client it was given open on close', async (t) => {
    const client = new Redis(redisUrl);
    t.after(() => client.quit());
    const ns = randomNamespace();
    const routing = new RedisRouting({ redis: client, namespace: ns, ttlSec: 60 });
    t.after(() => deleteNamespace(ns));
    await routing.addConnection(conn('k1', 7, 'c1'));
    await routing.close();
    assert.equal(await client.ping(), 'PONG');
  });

  it('does no I/O before the first call and closes cleanly without one', async () => {
    const routing = new RedisRouting({ redis: 'redis://127.0.0.1:1', namespace: randomNamespace() });
    await routing.close();
  });

  it('rejects with RoutingError (UNAVAILABLE) when Redis cannot be reached; a command error stays as it is', async (t) => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const routing = new RedisRouting({ redis: down, namespace: randomNamespace() });
    t.after(() => down.disconnect());
    const unavailable = (error: unknown) => error instanceof RoutingError && error.code === 'UNAVAILABLE' && error.cause !== undefined;
    await assert.rejects(routing.roomCounts(['live://1']), unavailable);
    await assert.rejects(routing.addConnection(conn('k1', 7, 'c1', 'live://1')), unavailable);
    await assert.rejects(routing.renewOnline('c1', { 'live://1': 1 }), unavailable);
    const ns = randomNamespace();
    await admin.set(keyUser(ns, 7), 'not a sorted set', 'EX', 60);
    t.after(() => deleteNamespace(ns));
    const error = await makeRouting(t, 60, ns).routesOfUsers([7]).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof Error && !(error instanceof RoutingError), `a WRONGTYPE reply is a bug, not an outage: ${String(error)}`);
  });

  it('fails a call Redis does not answer (a frozen server) with RoutingError after timeoutMs instead of waiting', async (t) => {
    const client = new Redis(await silentRedis(t), { lazyConnect: true });
    t.after(() => client.disconnect());
    const routing = new RedisRouting({ redis: client, namespace: randomNamespace(), timeoutMs: 300 });
    const started = Date.now();
    await assert.rejects(routing.routesOfKeys(['k1']), (error: unknown) => error instanceof RoutingError && error.code === 'UNAVAILABLE');
    const waited = Date.now() - started;
    assert.ok(waited >= 300 && waited < 5_000, `failed after ${waited} ms`);
  });

  it('closes its own client within timeoutMs when a frozen server never answers QUIT', async (t) => {
    const routing = new RedisRouting({ redis: await silentRedis(t), namespace: randomNamespace(), timeoutMs: 300 });
    await assert.rejects(routing.routesOfKeys(['k1']), RoutingError);
    const started = Date.now();
    await routing.close();
    const waited = Date.now() - started;
    assert.ok(waited < 5_000, `close took ${waited} ms`);
  });
});

/** A server that accepts connections and never answers, like a Redis stopped with SIGSTOP; its URL. */
async function silentRedis(t: TestContext): Promise<string> {
  const sockets: net.Socket[] = [];
  const silent = net.createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    silent.close();
  });
  return `redis://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
}
