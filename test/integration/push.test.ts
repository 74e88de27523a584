import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Op } from '@imcluster/protocol';
import { fileCleanup } from '../helpers/cleanup.ts';
import { API_KEY, TestCluster } from '../helpers/cluster.ts';
import { TestClient } from '../helpers/client.ts';
import { cometStats } from '../helpers/comet_stats.ts';
import { eventually } from '../helpers/processes.ts';
import { get, post } from '../helpers/push.ts';
import { registerUser } from '../helpers/users.ts';

const hooks = fileCleanup();
let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(hooks, { comets: 3, jobs: 2, env: { IM_PUSH_MAX_BODY: '1024' } });
});

const texts = (client: TestClient) => client.messages.map((m) => m.body.toString());

async function goimClient(cometIndex: number, kind: 'ws' | 'tcp', token: string, room = '', accepts = [1000]): Promise<TestClient> {
  const client = await TestClient.connect(kind, cluster.comets[cometIndex]![kind]);
  const reply = await client.auth({ room_id: room, accepts, token });
  assert.equal(reply.code, 0);
  return client;
}

describe('pushes to users and keys', () => {
  it('reaches a user on comet 2, and every device of a user on two comets', async () => {
    const user = await registerUser(cluster.http);
    const phone = await goimClient(1, 'ws', user.token);
    const laptop = await goimClient(0, 'tcp', user.token);
    const res = await post(`${cluster.http}/goim/push/mids?operation=1000&mids=${user.id}`, 'hello devices');
    assert.equal(res.status, 200);
    assert.equal(res.body.code, 0);
    for (const device of [phone, laptop]) {
      const [msg] = await device.waitForMessages(1);
      assert.equal(msg!.op, 1000);
      assert.equal(msg!.body.toString(), 'hello devices');
    }
  });

  it('reaches one connection by key through the JSON API', async () => {
    const user = await registerUser(cluster.http);
    const a = await TestClient.ws(cluster.comets[2]!.ws);
    const key = (await a.auth({ room_id: '', accepts: [1001], token: user.token })).key!;
    const b = await goimClient(0, 'ws', user.token, '', [1001]);
    const res = await post(`${cluster.http}/api/v1/push/keys`, { operation: 1001, keys: [key], body: 'only a' });
    assert.equal(res.status, 202);
    assert.match(String(res.body.id), /^[0-9a-f-]{36}$/);
    await a.waitForMessages(1);
    assert.deepEqual(texts(a), ['only a']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(texts(b), [], 'the other device got nothing');
  });

  it('honours accepts and subscribe/unsubscribe ops as goim does', async () => {
    const user = await registerUser(cluster.http);
    const client = await goimClient(0, 'tcp', user.token, '', [1000]);
    const push = (op: number, text: string) => post(`${cluster.http}/goim/push/mids?operation=${op}&mids=${user.id}`, text);
    await push(1002, 'filtered');
    await push(1000, 'accepted');
    await client.waitForMessages(1);
    client.send(Op.Sub, '1002,1003');
    await client.next(Op.SubReply);
    await push(1002, 'now accepted');
    await client.waitForMessages(2);
    client.send(Op.Unsub, '1000');
    await client.next(Op.UnsubReply);
    await push(1000, 'no longer accepted');
    await push(1003, 'last');
    await client.waitForMessages(3);
    assert.deepEqual(texts(client), ['accepted', 'now accepted', 'last']);
  });
});

describe('room pushes', () => {
  it('reach every member on both comets in the form of its dialect, and no comet without members', async () => {
    const room = `live://${Date.now()}`;
    const roomId = room.slice('live://'.length);
    const users = await Promise.all([1, 2, 3, 4].map(() => registerUser(cluster.http)));
    const goimWs = await goimClient(0, 'ws', users[0]!.token, room);
    const goimTcp = await goimClient(1, 'tcp', users[1]!.token, room);
    const bili: TestClient[] = [];
    for (const [i, protover] of [0, 2, 3].entries()) {
      const client = await TestClient.connect(i % 2 ? 'tcp' : 'ws', cluster.comets[i % 2]![i % 2 ? 'tcp' : 'ws']);
      assert.equal((await client.auth({ uid: 0, roomid: Number(roomId), protover, key: '' })).code, 0);
      bili.push(client);
    }
    const res = await post(`${cluster.http}/goim/push/room?operation=1000&type=live&room=${roomId}`, '{"cmd":"DANMU_MSG"}');
    assert.equal(res.status, 200);

    for (const client of [goimWs, goimTcp, ...bili]) {
      const [msg] = await client.waitForMessages(1);
      assert.equal(msg!.body.toString(), '{"cmd":"DANMU_MSG"}');
    }
    assert.equal(goimWs.received.find((p) => p.op >= 1000 || p.op === Op.Raw)!.op, Op.Raw, 'goim clients get an op-9 batch');
    assert.equal(goimWs.messages[0]!.op, 1000);
    const versions = bili.map((c) => c.received.find((p) => p.op === Op.SendMsgReply)!.ver);
    assert.deepEqual(versions, [0, 2, 3], 'bili clients get op 5 with ver = protover (0 JSON, 2 zlib, 3 brotli)');

    const [s1, s2, s3] = await Promise.all(cluster.comets.map((c) => cometStats(c.grpc)));
    const batches = (s: typeof s1) => Number(s?.roomBatchesByRoom?.[room] ?? 0);
    assert.ok(batches(s1) >= 1);
    assert.ok(batches(s2) >= 1);
    assert.equal(batches(s3), 0, 'comet 3 has no member and received nothing for the room');
  });
});

describe('broadcast and online counts', () => {
  it('broadcast reaches every connection, paced or not', async () => {
    const user = await registerUser(cluster.http);
    const clients = await Promise.all([0, 1, 2, 0, 1].map((i, n) => goimClient(i, n % 2 ? 'tcp' : 'ws', user.token, '', [1005])));
    assert.equal((await post(`${cluster.http}/goim/push/all?operation=1005`, 'to everyone')).status, 200);
    assert.equal((await post(`${cluster.http}/api/v1/push/all`, { operation: 1005, speed: 50, body: 'paced' })).status, 202);
    for (const client of clients) {
      await client.waitForMessages(2);
      assert.deepEqual(texts(client).filter((t) => t === 'to everyone' || t === 'paced'), ['to everyone', 'paced']);
    }
  });

  it('online counts in the HTTP API match the connected clients', async () => {
    const id = `${Date.now() % 1_000_000}`;
    const user = await registerUser(cluster.http);
    const members = await Promise.all([0, 1, 2].map((i) => goimClient(i, 'ws', user.token, `live://${id}`)));
    await eventually(async () => {
      const res = await get(`${cluster.http}/goim/online/room?type=live&rooms=${id}`);
      return (res.body.data as Record<string, number>)[id] === 3;
    }, 'room count 3 in /goim/online/room');
    const top = await get(`${cluster.http}/goim/online/top?type=live&limit=100`);
    assert.ok((top.body.data as { room_id: string; count: number }[]).some((r) => r.room_id === id && r.count === 3));
    const total = await get(`${cluster.http}/goim/online/total`);
    const stats = await Promise.all(cluster.comets.map((c) => cometStats(c.grpc)));
    assert.equal((total.body.data as { conn_count: number }).conn_count, stats.reduce((n, s) => n + Number(s.connections), 0));
    const instances = await get(`${cluster.http}/goim/nodes/instances`, API_KEY);
    assert.equal((instances.body.data as unknown[]).length, 3);
    members[0]!.close();
    await eventually(async () => {
      const res = await get(`${cluster.http}/api/v1/online/rooms?rooms=live://${id}`);
      return (res.body.rooms as Record<string, number>)[`live://${id}`] === 2;
    }, 'room count 2 after a member left');
  });
});

describe('bad push requests get a JSON 4xx', () => {
  const cases: [string, string, string | object, number, string?][] = [
    ['missing operation', '/goim/push/mids?mids=1', 'x', 400],
    ['missing mids', '/goim/push/mids?operation=1000', 'x', 400],
    ['non-numeric mid', '/goim/push/mids?operation=1000&mids=abc', 'x', 400],
    ['unknown room type', '/goim/push/room?operation=1000&type=nope&room=1', 'x', 400],
    ['missing room', '/goim/push/room?operation=1000&type=live', 'x', 400],
    ['body over the limit', '/goim/push/room?operation=1000&type=live&room=1', 'x'.repeat(2000), 413],
    ['wrong API key', '/goim/push/all?operation=1000', 'x', 401, 'wrong-key'],
    ['JSON body without keys', '/api/v1/push/keys', { operation: 1000, body: 'x' }, 400],
    ['JSON body with a bad room', '/api/v1/push/room', { operation: 1000, room: 'has space', body: 'x' }, 400],
    ['malformed JSON', '/api/v1/push/room', '{"operation":', 400],
  ];
  for (const [what, path, body, status, key] of cases) {
    it(what, async () => {
      const headers = { authorization: `Bearer ${key ?? API_KEY}`, 'content-type': path.startsWith('/api') ? 'application/json' : 'text/plain' };
      const res = await fetch(`${cluster.http}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
      assert.equal(res.status, status);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      const json = (await res.json()) as { code: number; message: string };
      assert.equal(json.code, -status);
      assert.ok(json.message.length > 0);
    });
  }

  it('with Kafka unreachable, the push API answers 503 instead of success, and login still works', async () => {
    const cut = await cluster.addLogic({ IM_KAFKA_BROKERS: '127.0.0.1:1' });
    const http = `http://${cut.http}`;
    const user = await registerUser(http);
    const started = Date.now();
    const res = await post(`${http}/goim/push/mids?operation=1000&mids=${user.id}`, 'lost?');
    assert.equal(res.status, 503);
    assert.equal(res.body.code, -503);
    assert.equal(res.body.error, 'UNAVAILABLE');
    assert.equal(res.body.retryable, true);
    assert.ok(Date.now() - started < 20_000, 'the error comes back in bounded time');
    const json = await post(`${http}/api/v1/push/room`, { operation: 1000, room: 'live://1', body: 'x' });
    assert.equal(json.status, 503);
  });

  it('an unknown route is a JSON 404', async () => {
    const res = await fetch(`${cluster.http}/goim/nothing`);
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { code: number }).code, -404);
  });
});
