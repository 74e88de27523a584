import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { before, it } from 'node:test';
import { encodePacket, Op } from '@imcluster/protocol';
import { ChatClient, directConv } from '../helpers/chat.ts';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { TestClient } from '../helpers/client.ts';
import { cometStats } from '../helpers/comet_stats.ts';
import { probe, scrape, valueOf, type Sample } from '../helpers/metrics.ts';
import { eventually } from '../helpers/processes.ts';
import { post } from '../helpers/push.ts';
import { registerUser } from '../helpers/users.ts';

const cleanup = fileCleanup();
let cluster: TestCluster;
let jobMetrics: string;

before(async () => {
  cluster = await TestCluster.start(cleanup, {
    comets: 1,
    jobs: 1,
    env: {
      // One message per room batch and one re-send 300 ms after a delivery: every count is predictable.
      IM_JOB_ROOM_BATCH_MAX: '1',
      IM_COMET_ROOM_BATCH_MAX: '1',
      IM_CHAT_RESEND_SCHEDULE_MS: '300',
      IM_COMET_SEND_HIGH_WATER: '16384',
      IM_COMET_SEND_QUEUE: '8',
      IM_COMET_MAX_DROPS: '16',
      IM_PUSH_MAX_BODY: '65536',
    },
  });
  const ready = await cluster.jobs[0]!.ready();
  jobMetrics = String(ready.metrics);
});

/** The change of every sample between two scrapes, by `name{labels}`. */
function delta(after: Sample[], beforeScrape: Sample[], name: string, labels: Record<string, string> = {}): number {
  return (valueOf(after, name, labels) ?? 0) - (valueOf(beforeScrape, name, labels) ?? 0);
}

it('a scripted session (connect, room push, chat, slow consumer) leaves exact counts on comet, logic and job', async () => {
  const comet = cluster.comets[0]!;
  const logic = cluster.logics[0]!.http;
  const room = `live://m${Date.now() % 1_000_000}`;
  const [alice, bob] = await Promise.all([registerUser(cluster.http), registerUser(cluster.http)]);

  // Connect: alice over WebSocket, bob over TCP, one refused token, two heartbeats.
  const a = await TestClient.ws(comet.ws);
  assert.equal((await a.auth({ room_id: room, token: alice.token, accepts: [1000] })).code, 0);
  const b = await TestClient.tcp(comet.tcp);
  assert.equal((await b.auth({ room_id: room, token: bob.token, accepts: [1000] })).code, 0);
  const refused = await TestClient.ws(comet.ws);
  assert.equal((await refused.auth({ room_id: room, token: 'not-a-token' })).code, 3504);
  await a.heartbeat();
  await a.heartbeat();
  let c = await scrape(comet.metrics);
  assert.equal(valueOf(c, 'imcluster_comet_connections', { transport: 'ws', dialect: 'goim' }), 1);
  assert.equal(valueOf(c, 'imcluster_comet_connections', { transport: 'tcp', dialect: 'goim' }), 1);
  assert.equal(valueOf(c, 'imcluster_comet_sockets_accepted_total', { transport: 'ws' }), 2);
  assert.equal(valueOf(c, 'imcluster_comet_sockets_accepted_total', { transport: 'tcp' }), 1);
  assert.equal(valueOf(c, 'imcluster_comet_auth_total', { code: '0' }), 2);
  assert.equal(valueOf(c, 'imcluster_comet_auth_total', { code: '3504' }), 1);
  assert.equal(valueOf(c, 'imcluster_comet_heartbeats_total'), 2);

  // Room push: three pushes, one message per batch, each written to both members.
  const beforeRoom = { comet: c, job: await scrape(jobMetrics), logic: await scrape(cluster.logics[0]!.http) };
  for (const text of ['one', 'two', 'three']) {
    assert.equal((await post(`${cluster.http}/api/v1/push/room`, { operation: 1000, room, body: text })).status, 202);
  }
  await Promise.all([a.waitForMessages(3), b.waitForMessages(3)]);
  c = await eventually(async () => {
    const s = await scrape(comet.metrics);
    return valueOf(s, 'imcluster_comet_frames_written_total')! - valueOf(beforeRoom.comet, 'imcluster_comet_frames_written_total')! === 6 ? s : undefined;
  }, 'six frames written');
  assert.equal(delta(c, beforeRoom.comet, 'imcluster_comet_pushes_received_total', { kind: 'room' }), 3);
  assert.equal(delta(c, beforeRoom.comet, 'imcluster_comet_room_batch_messages_sum'), 3);
  assert.equal(delta(c, beforeRoom.comet, 'imcluster_comet_room_batch_messages_count'), 3);
  // The batches came on the job's PushStream, which the gRPC call metrics count once, when it ends.
  assert.equal(valueOf(c, 'imcluster_grpc_server_handled_total', { service: 'imcluster.comet.Comet', method: 'BroadcastRoom', code: 'OK' }) ?? 0, 0);
  const l = await scrape(logic);
  assert.equal(delta(l, beforeRoom.logic, 'imcluster_logic_pushes_total', { kind: 'room' }), 3);
  assert.equal(delta(l, beforeRoom.logic, 'imcluster_queue_produce_seconds_count'), 3);
  const j = await eventually(async () => {
    const s = await scrape(jobMetrics);
    return delta(s, beforeRoom.job, 'imcluster_job_handoff_seconds_count', { kind: 'room' }) === 3 ? s : undefined;
  }, 'three room hand-offs');
  assert.equal(delta(j, beforeRoom.job, 'imcluster_job_pushes_total', { kind: 'room' }), 3);
  assert.equal(delta(j, beforeRoom.job, 'imcluster_job_room_batches_total'), 3);
  assert.equal(valueOf(j, 'imcluster_job_partitions_assigned'), 4, 'the only job holds all four partitions');
  const failures = j.filter((sample) => sample.name === 'imcluster_job_partition_failures');
  assert.deepEqual(failures.map((sample) => sample.value), [0, 0, 0, 0], 'no partition of a healthy job counts failures');
  assert.equal(valueOf(j, 'imcluster_registry_lease_held', { service: 'job' }), 1);

  // Chat: alice sends bob one message; neither device acknowledges it at once, so the comet re-sends
  // it once to each (schedule: one attempt after 300 ms); then bob acknowledges and syncs.
  const beforeChat = { comet: c, job: j, logic: l };
  const aliceChat = new ChatClient(a);
  const bobChat = new ChatClient(b);
  const conv = directConv(alice.id, bob.id);
  assert.equal((await aliceChat.send(bob.id, 'hello bob')).code, 0);
  await eventually(() => bobChat.delivered(conv).length === 2, 'the delivery and its re-send');
  await eventually(() => aliceChat.delivered(conv).length === 2, 'the sender\u2019s copy and its re-send');
  bobChat.ack(conv, 1);
  assert.equal((await bobChat.sync(conv)).code, 0);
  const lc = await eventually(async () => {
    const s = await scrape(logic);
    return delta(s, beforeChat.logic, 'imcluster_chat_requests_total', { op: 'ack', code: '0' }) === 1 ? s : undefined;
  }, 'the ack counted');
  assert.equal(delta(lc, beforeChat.logic, 'imcluster_chat_requests_total', { op: 'send', code: '0' }), 1);
  assert.equal(delta(lc, beforeChat.logic, 'imcluster_chat_requests_total', { op: 'sync', code: '0' }), 1);
  assert.equal(delta(lc, beforeChat.logic, 'imcluster_chat_request_seconds_count', { op: 'send' }), 1);
  assert.equal(delta(lc, beforeChat.logic, 'imcluster_logic_pushes_total', { kind: 'mids' }), 1, 'one delivery; re-sends come from the comet');
  assert.equal(delta(lc, beforeChat.logic, 'imcluster_grpc_server_handled_total', { service: 'imcluster.logic.Logic', method: 'Chat', code: 'OK' }), 3);
  assert.ok(delta(lc, beforeChat.logic, 'imcluster_storage_operation_seconds_count', { operation: 'appendMessages' }) === 1);
  const cc = await eventually(async () => {
    const s = await scrape(comet.metrics);
    // op 20 to alice and bob, its re-send to each, the send reply and the sync reply.
    return delta(s, beforeChat.comet, 'imcluster_comet_frames_written_total') === 6 ? s : undefined;
  }, 'six chat frames written');
  assert.equal(delta(cc, beforeChat.comet, 'imcluster_comet_pushes_received_total', { kind: 'keys' }), 1);
  assert.equal(delta(cc, beforeChat.comet, 'imcluster_comet_chat_resends_total'), 2);

  // Slow consumer: a TCP reader in the room that stops reading is dropped, then closed with 3002.
  const slow = net.connect(Number(comet.tcp.split(':')[1]), '127.0.0.1');
  await once(slow, 'connect');
  slow.write(encodePacket({ op: Op.Auth, seq: 1, body: JSON.stringify({ room_id: room, token: bob.token }) }));
  await once(slow, 'data');
  slow.pause();
  const body = 'x'.repeat(32 * 1024);
  for (let i = 0; i < 800; i += 20) {
    await Promise.all(Array.from({ length: 20 }, () => post(`${cluster.http}/goim/push/room?operation=1000&type=live&room=${room.slice(7)}`, body)));
  }
  const stats = await eventually(async () => {
    const s = await cometStats(comet.grpc);
    return Number(s.slowDisconnects) === 1 ? s : undefined;
  }, 'the slow reader to be disconnected', 30_000, 200);
  slow.destroy();
  const end = await eventually(async () => {
    const s = await scrape(comet.metrics);
    return valueOf(s, 'imcluster_comet_connections', { transport: 'tcp', dialect: 'goim' }) === 1 ? s : undefined;
  }, 'the slow connection gone from the gauge');
  assert.equal(valueOf(end, 'imcluster_comet_slow_consumer_closes_total'), 1);
  assert.ok(Number(stats.framesDropped) >= 17, `more than IM_COMET_MAX_DROPS frames dropped: ${stats.framesDropped}`);
  // Room pushes still on their way when the reader was closed are dropped too: compare the two
  // views once the counter has settled.
  await eventually(async () => {
    const [scraped, grpcStats] = [await scrape(comet.metrics), await cometStats(comet.grpc)];
    return valueOf(scraped, 'imcluster_comet_frames_dropped_total') === Number(grpcStats.framesDropped) ? true : undefined;
  }, 'the metric and the gRPC Stats call report the same dropped frames');
  assert.ok(valueOf(end, 'imcluster_comet_send_queue_frames_count')! > 0, 'queue depths were sampled');
  assert.equal(valueOf(end, 'imcluster_comet_auth_total', { code: '0' }), 3);
  a.close();
  b.close();
  refused.close();
});

it('every role serves /healthz and /readyz; default collectors report event-loop lag and GC', async () => {
  for (const address of [cluster.comets[0]!.metrics, jobMetrics, cluster.logics[0]!.http]) {
    const live = await probe(address, '/healthz');
    assert.equal(live.status, 200, address);
    const ready = await probe(address, '/readyz');
    assert.equal(ready.status, 200, `${address}: ${JSON.stringify(ready.body)}`);
    assert.deepEqual(ready.body.failing, []);
    const samples = await scrape(address);
    assert.ok(valueOf(samples, 'nodejs_eventloop_lag_seconds') !== undefined, `${address} reports event-loop lag`);
    assert.ok(samples.some((s) => s.name.startsWith('nodejs_gc_duration_seconds')), `${address} reports GC`);
  }
  const logicChecks = (await probe(cluster.logics[0]!.http, '/readyz')).body.checks!;
  assert.deepEqual(Object.keys(logicChecks), ['logic.queue', 'logic.registry', 'logic.routing', 'logic.storage']);
});
