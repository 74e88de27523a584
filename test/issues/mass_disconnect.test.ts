// Regression: thousands of clients closing at once made one disconnect call each; under load they
// timed out and left stale routes until the routing TTL (found by bench:fanout). Disconnects are
// now batched (DisconnectMany) and a draining comet reports its clients itself.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { TestClient } from '../helpers/client.ts';
import { eventually } from '../helpers/processes.ts';
import { keysOf, testRedis } from '../helpers/redis.ts';

const cleanup = fileCleanup();
let cluster: TestCluster;

before(async () => {
  // A routing TTL far longer than the test: only explicit removal can empty the tables in time.
  cluster = await TestCluster.start(cleanup, { comets: 2, env: { IM_ROUTING_TTL_SEC: '600' } });
});

async function connectMany(address: string, room: string, count: number): Promise<TestClient[]> {
  const clients: TestClient[] = [];
  for (let i = 0; i < count; i += 100) {
    clients.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(100, count - i) }, async () => {
          const client = await TestClient.tcp(address);
          assert.equal((await client.auth({ room_id: room, token: '' })).code, 0);
          return client;
        }),
      )),
    );
  }
  return clients;
}

/** Connection records in the routing tables (anonymous viewers have one each, like users). */
async function routedConnections(redis: ReturnType<typeof testRedis>): Promise<number> {
  return (await keysOf(redis, cluster.namespace)).filter((k) => k.startsWith(`${cluster.namespace}:key:`)).length;
}

it('1,500 clients closing at once are all removed from the routing tables within seconds', async (t) => {
  const redis = testRedis(t);
  const clients = await connectMany(cluster.comets[0]!.tcp, `live://mass${Date.now()}`, 1500);
  assert.equal(await routedConnections(redis), 1500);
  for (const client of clients) client.close();
  await eventually(async () => (await routedConnections(redis)) === 0, 'every connection removed', 20_000, 200);
});

it('a draining comet removes its 1,000 clients from the routing tables before it exits', async (t) => {
  const redis = testRedis(t);
  const comet = cluster.comets[1]!;
  const clients = await connectMany(comet.tcp, `live://drain${Date.now()}`, 1000);
  assert.equal(await routedConnections(redis), 1000);
  comet.process.kill('SIGTERM');
  assert.equal(await comet.process.exited, 0);
  assert.equal(await routedConnections(redis), 0, 'routes removed by the time the comet exited');
  assert.ok(clients.every((c) => c.closeCode === 3001 || c.closeCode === undefined));
});
