import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { Op } from '@imcluster/protocol';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { TestClient } from '../helpers/client.ts';
import { eventually } from '../helpers/processes.ts';
import { keysOf, testRedis } from '../helpers/redis.ts';
import { registerUser } from '../helpers/users.ts';

const hooks = fileCleanup();
let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(hooks, { comets: 2 });
});

async function countIs(client: TestClient, expected: number): Promise<void> {
  await eventually(async () => (await client.heartbeat()) === expected, `room count ${expected}`, 10_000, 150);
}

it('heartbeats report the room count across comets, Redis holds exactly the connections, and both follow joins, moves and leaves', async (t) => {
  const redis = testRedis(t);
  const ns = cluster.namespace;
  const [alice, bob, carol] = await Promise.all([registerUser(cluster.http), registerUser(cluster.http), registerUser(cluster.http)]);
  const [c1, c2] = cluster.comets as [typeof cluster.comets[0], typeof cluster.comets[0]];

  const a = await TestClient.ws(c1.ws);
  const keyA = (await a.auth({ room_id: 'live://2000', accepts: [1000], token: alice.token })).key!;
  const b = await TestClient.tcp(c2.tcp);
  const keyB = (await b.auth({ uid: bob.id, roomid: 2000, protover: 0, key: bob.token })).key!;
  const c = await TestClient.tcp(c1.tcp);
  const keyC = (await c.auth({ room_id: 'live://3000', token: carol.token })).key!;

  await countIs(a, 2);
  await countIs(b, 2);
  await countIs(c, 1);

  assert.deepEqual(JSON.parse((await redis.get(`${ns}:key:${keyA}`))!), { mid: alice.id, server: c1.id, room: 'live://2000' });
  assert.deepEqual(JSON.parse((await redis.get(`${ns}:key:${keyB}`))!), { mid: bob.id, server: c2.id, room: 'live://2000' });
  assert.deepEqual((await redis.zrange(`${ns}:room:live://2000:servers`, '0', '-1')).sort(), [c1.id, c2.id].sort());
  assert.equal(await redis.zcard(`${ns}:mid:${alice.id}`), 1);

  // Move alice to carol's room: counts follow on both sides.
  a.send(Op.ChangeRoom, 'live://3000');
  const moved = JSON.parse((await a.next(Op.ChangeRoomReply)).body.toString());
  assert.deepEqual(moved, { code: 0, room: 'live://3000' });
  await countIs(c, 2);
  await countIs(b, 1);
  assert.equal(JSON.parse((await redis.get(`${ns}:key:${keyA}`))!).room, 'live://3000');
  assert.deepEqual(await redis.zrange(`${ns}:room:live://3000:servers`, '0', '-1'), [c1.id]);

  // Leaving cleans the tables at once.
  b.close();
  await eventually(async () => (await redis.exists(`${ns}:key:${keyB}`)) === 0, 'key of bob removed');
  assert.equal(await redis.zcard(`${ns}:mid:${bob.id}`), 0);
  await countIs(a, 2);

  a.close();
  c.close();
  await eventually(async () => !(await keysOf(redis, ns)).some((k) => k.startsWith(`${ns}:key:`) || k.startsWith(`${ns}:mid:`)), 'no connection left in Redis');
  assert.equal(await redis.exists(`${ns}:key:${keyC}`), 0);
});

it('a user with two devices on two comets has both keys in its routing entry', async (t) => {
  const redis = testRedis(t);
  const user = await registerUser(cluster.http);
  const phone = await TestClient.ws(cluster.comets[0]!.ws);
  const laptop = await TestClient.tcp(cluster.comets[1]!.tcp);
  const k1 = (await phone.auth({ room_id: '', token: user.token })).key!;
  const k2 = (await laptop.auth({ room_id: '', token: user.token })).key!;
  const routes = await redis.zrange(`${cluster.namespace}:mid:${user.id}`, '0', '-1');
  assert.equal(routes.length, 2);
  assert.ok(routes.some((r) => r.includes(k1) && r.includes(cluster.comets[0]!.id)));
  assert.ok(routes.some((r) => r.includes(k2) && r.includes(cluster.comets[1]!.id)));
  phone.close();
  laptop.close();
});

it('a connection silent past its heartbeat timeout is closed with 3003', async (t) => {
  const quick = await TestCluster.start({ after: (fn) => t.after(fn) }, { comets: 1, env: { IM_HEARTBEAT_SEC: '1' } });
  const user = await registerUser(quick.http);
  const client = await TestClient.ws(quick.comets[0]!.ws);
  assert.equal((await client.auth({ room_id: 'live://1', token: user.token })).code, 0);
  const started = Date.now();
  assert.equal(await client.waitClosed(6000), 3003);
  assert.ok(Date.now() - started >= 900, 'closed only after the timeout');

  const alive = await TestClient.tcp(quick.comets[0]!.tcp);
  assert.equal((await alive.auth({ room_id: 'live://1', token: user.token })).code, 0);
  for (let i = 0; i < 6; i++) {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await alive.heartbeat();
  }
  assert.equal(alive.closeCode, undefined, 'a client that heartbeats stays connected');
  alive.close();
});
