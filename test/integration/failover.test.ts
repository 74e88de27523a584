import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { Etcd3 } from 'etcd3';
import { infraDefaults } from '@imcluster/common';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { TestClient } from '../helpers/client.ts';
import { eventually } from '../helpers/processes.ts';
import { testRedis } from '../helpers/redis.ts';
import { registerUser } from '../helpers/users.ts';

const hooks = fileCleanup();
let cluster: TestCluster;
let etcd: Etcd3;

before(async () => {
  cluster = await TestCluster.start(hooks, { comets: 2 });
  etcd = new Etcd3({ hosts: (process.env.IM_ETCD_ENDPOINTS ?? infraDefaults.etcdEndpoints).split(',') });
  hooks.after(() => etcd.close());
});

async function registeredComets(): Promise<string[]> {
  const keys = await etcd.getAll().prefix(`/${cluster.namespace}/services/comet/`).keys();
  return keys.map((k) => k.split('/').pop()!).sort();
}

it('SIGTERM drains a comet: it leaves etcd first and tells its clients to reconnect elsewhere (3001)', async () => {
  const extra = await cluster.addComet();
  const user = await registerUser(cluster.http);
  const clients = await Promise.all(
    (['ws', 'tcp', 'ws'] as const).map(async (kind) => {
      const client = await TestClient.connect(kind, extra[kind]);
      assert.equal((await client.auth({ room_id: 'live://drain', token: user.token })).code, 0);
      return client;
    }),
  );
  assert.ok((await registeredComets()).includes(extra.id));
  extra.process.kill('SIGTERM');
  for (const client of clients) assert.equal(await client.waitClosed(), 3001);
  assert.equal(await extra.process.exited, 0, 'clean exit');
  assert.ok(!(await registeredComets()).includes(extra.id), 'deregistered');
  cluster.comets.splice(cluster.comets.indexOf(extra), 1);
});

it('a comet killed with SIGKILL leaves etcd within its lease TTL and its routing entries expire', async (t) => {
  const redis = testRedis(t);
  const victim = cluster.comets[1]!;
  assert.deepEqual(await registeredComets(), cluster.comets.map((c) => c.id).sort());
  const user = await registerUser(cluster.http);
  const client = await TestClient.tcp(victim.tcp);
  const key = (await client.auth({ room_id: 'live://9', token: user.token })).key!;
  assert.equal(await redis.exists(`${cluster.namespace}:key:${key}`), 1);

  victim.process.kill('SIGKILL');
  await victim.process.exited;
  const killedAt = Date.now();
  await eventually(async () => !(await registeredComets()).includes(victim.id), 'comet gone from etcd', 10_000);
  assert.ok(Date.now() - killedAt < 3000 + 3000, 'left within TTL (3 s) plus keepalive slack');
  assert.deepEqual(await registeredComets(), [cluster.comets[0]!.id]);

  // No goodbye was said: the routing entries must expire by themselves (TTL 6 s in tests).
  await eventually(async () => (await redis.exists(`${cluster.namespace}:key:${key}`)) === 0, 'routing entry expired', 15_000, 250);
  assert.equal(await redis.zcard(`${cluster.namespace}:mid:${user.id}`), 0);
});

it('a logic restarted under live connections is survived', async (t) => {
  const redis = testRedis(t);
  const user = await registerUser(cluster.http);
  const comet = cluster.comets[0]!;
  const client = await TestClient.ws(comet.ws);
  const key = (await client.auth({ room_id: 'live://10', token: user.token })).key!;

  const old = cluster.logics[0]!;
  old.process.kill('SIGKILL');
  await old.process.exited;
  // While no logic runs, the connection stays up and heartbeats are answered by the comet.
  assert.equal(typeof (await client.heartbeat()), 'number');

  const fresh = await cluster.addLogic();
  // New connections authenticate through the new logic once the comet found it in etcd.
  await eventually(async () => {
    const probe = await TestClient.tcp(comet.tcp);
    const reply = await probe.auth({ room_id: 'live://10', token: user.token });
    probe.close();
    return reply.code === 0;
  }, 'auth through the new logic', 15_000, 300);

  // The old connection is still there, still counted, and its routing entry is kept alive past the TTL.
  for (let i = 0; i < 8; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await client.heartbeat();
  }
  assert.equal(client.closeCode, undefined);
  assert.equal(await redis.exists(`${cluster.namespace}:key:${key}`), 1);
  const res = await fetch(`http://${fresh.http}/api/v1/online/total`);
  assert.equal(res.status, 200);
  assert.ok(((await res.json()) as { connections: number }).connections >= 1);
  client.close();
});
