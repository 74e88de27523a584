import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { fileCleanup } from '../../../../test/helpers/cleanup.ts';
import { TestCluster, type CometHandle } from '../../../../test/helpers/cluster.ts';
import type { ClientError, ImClient } from '../../src/node.ts';
import { client, newUser, post, record, shortToken, waitFor, type Servers } from './helpers.ts';

const cleanup = fileCleanup();
let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(cleanup, { comets: 1, jobs: 1 });
});

/** Two comets of its own for a test that stops one of them. */
async function twoComets(): Promise<{ servers: Servers; cometOf(c: ImClient): CometHandle }> {
  const comets = await Promise.all([cluster.addComet(), cluster.addComet()]);
  return {
    servers: { http: cluster.http, ws: comets.map((c) => c.ws), tcp: comets.map((c) => c.tcp) },
    cometOf: (c) => comets.find((comet) => [`ws://${comet.ws}/sub`, comet.tcp].includes(c.session?.url ?? ''))!,
  };
}

const servers = (): Servers => ({ http: cluster.http, ws: [cluster.comets[0]!.ws], tcp: [cluster.comets[0]!.tcp] });

it('refresh(): a 3 s token refreshed in-band with a 60 s one keeps the connection past 3 s', async () => {
  const user = await newUser(servers());
  const c = client(cleanup, servers(), { token: await shortToken(user.id, 3) });
  const events = record(c);
  await c.connect();
  const expiresAt = await c.refresh(await shortToken(user.id, 60));
  assert.ok(expiresAt > Date.now() + 50_000);
  await new Promise((r) => setTimeout(r, 4000));
  assert.equal(c.state, 'connected');
  assert.deepEqual(events.disconnected, [], 'never closed with 3509');
  await assert.rejects(c.refresh('not-a-token'), (e: ClientError) => e.code === 'SERVER_REFUSED' && e.wireCode === 3504);
});

it('an expired token is refused with AUTH_FAILED (3504): no reconnect, pending sends report it', async () => {
  const user = await newUser(servers());
  const c = client(cleanup, servers(), { token: await shortToken(user.id, -10) });
  const events = record(c);
  const send = c.chat.send({ type: 'user', id: 1 }, 'never sent');
  await assert.rejects(c.connect(), (e: ClientError) => e.code === 'AUTH_FAILED' && e.wireCode === 3504);
  await assert.rejects(send, (e: ClientError) => e.code === 'AUTH_FAILED');
  assert.equal(c.state, 'closed');
  assert.deepEqual(events.disconnected.map((d) => [d.code, d.willReconnect]), [[3504, false]]);
  assert.equal(events.closed[0]!.error?.code, 'AUTH_FAILED');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(events.connecting.length, 1, 'never tried again');
  assert.equal(events.reconnecting.length, 0);
  assert.deepEqual(c.chat.outbox(), [], 'nothing left waiting in memory');
});

it('a token that expires during the session: the comet closes it with 3509 and the client stops', async () => {
  const { servers: two } = await twoComets();
  const user = await newUser(two);
  const c = client(cleanup, two, { token: await shortToken(user.id, 3) });
  const events = record(c);
  await c.connect();
  await waitFor(() => c.state === 'closed', 'the client to stop');
  assert.deepEqual(events.disconnected.map((d) => [d.code, d.willReconnect]), [[3509, false]]);
  assert.equal(events.closed[0]!.error?.code, 'SERVER_REFUSED');
  assert.equal(events.closed[0]!.code, 3509);
  const attempts = events.connecting.length;
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(events.connecting.length, attempts, 'stopped reconnecting');
});

it('a drain (3001) reconnects both transports elsewhere within the drain delay, rejoins, restores accepts, chat goes on', async () => {
  const { servers: two, cometOf } = await twoComets();
  const [alice, bob] = [await newUser(two), await newUser(two)];
  const a = client(cleanup, two, { token: alice.token, accepts: [1005], room: 'live://drain', reconnect: { drainMaxMs: 1000 } });
  const events = record(a);
  const first = await a.connect();
  await a.subscribe([1006]);
  await a.changeRoom('live://after-drain');
  const draining = cometOf(a);
  // Bob on TCP, on the same comet (the first pick is random): his close code comes in op 6.
  let t: ImClient;
  for (;;) {
    t = client(cleanup, two, { token: bob.token, transport: 'tcp', reconnect: { drainMaxMs: 1000 } });
    await t.connect();
    if (cometOf(t) === draining) break;
    t.close();
  }
  const tcpEvents = record(t);
  draining.process.kill('SIGTERM');
  await waitFor(() => events.connected.length === 2 && tcpEvents.connected.length === 1, 'both reconnects');
  for (const e of [events, tcpEvents]) {
    assert.deepEqual(e.disconnected.map((d) => [d.code, d.willReconnect]), [[3001, true]]);
    assert.ok(e.reconnecting[0]!.delayMs < 1000, 'drain delay, not back-off');
  }
  assert.notEqual(events.connected[1]!.url, first.url);
  assert.equal(events.connected[1]!.room, 'live://after-drain', 'rejoined the room it had moved to');
  await post(`${cluster.http}/api/v1/push/mids`, { operation: 1006, mids: [alice.id], body: 'accepts restored' });
  await waitFor(() => events.push.some((p) => p.op === 1006), 'a push of the op subscribed before the drain');
  const ack = await a.chat.send({ type: 'user', id: bob.id }, 'after the drain');
  assert.equal((await t.chat.send({ type: 'user', id: alice.id }, 'me too')).seq, ack.seq + 1);
});

it('a comet that stops answering is declared dead after two missed heartbeat replies, and left', async () => {
  const { servers: two, cometOf } = await twoComets();
  const user = await newUser(two);
  const c = client(cleanup, two, { token: user.token, heartbeatMs: 400, room: 'live://hb-dead' });
  const events = record(c);
  const first = await c.connect();
  const frozen = cometOf(c);
  frozen.process.kill('SIGSTOP');
  try {
    await waitFor(() => events.connected.length === 2, 'a connection elsewhere', 15_000);
  } finally {
    frozen.process.kill('SIGKILL');
  }
  assert.deepEqual([events.disconnected[0]!.code, events.disconnected[0]!.willReconnect], [3003, true]);
  assert.match(events.disconnected[0]!.reason, /two intervals/);
  assert.notEqual(events.connected[1]!.url, first.url);
  assert.equal(events.connected[1]!.room, 'live://hb-dead', 'rejoined its room');
});
