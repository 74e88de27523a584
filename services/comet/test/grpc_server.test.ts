import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { Metrics } from '@imcluster/metrics';
import { createCometClient, serve, type ClusterCredentials } from '@imcluster/proto';
import { createCometGrpcServer } from '../src/grpc_server.ts';
import { Hub } from '../src/hub.ts';
import { CometStats } from '../src/stats.ts';
import { waitFor } from './helpers.ts';

const credentials: ClusterCredentials = { secret: 'comet-grpc-test-secret' };

/** The comet's gRPC server over a hub with no connections, and a client of it. */
async function setup(t: TestContext) {
  const metrics = new Metrics();
  const stats = new CometStats(metrics.comet);
  const hub = new Hub(1, stats, metrics.comet, { scheduleMs: [], unackedMax: 64 });
  const pushStreams = new Set<{ end(): void }>();
  const server = createCometGrpcServer({ serverId: 'c1', hub, stats, drain: () => Promise.resolve(0), pushStreams }, credentials, metrics.grpc.server);
  const port = await serve(server, '127.0.0.1:0', credentials);
  const client = createCometClient(`127.0.0.1:${port}`, credentials);
  t.after(() => {
    client.close();
    server.forceShutdown();
  });
  return { client, stats, pushStreams };
}

/** Opens a push stream; `next()` resolves with its next reply, or rejects with the stream's error. */
function openStream(client: ReturnType<typeof createCometClient>) {
  const call = client.pushStream(new grpc.Metadata());
  const replies: { id: number; delivered: number }[] = [];
  let failed: grpc.ServiceError | undefined;
  call.on('data', (reply: { id: number; delivered: number }) => replies.push(reply));
  const ended = new Promise<grpc.ServiceError>((resolve) => call.on('error', (error: grpc.ServiceError) => resolve((failed = error))));
  const next = async (count: number) => {
    await waitFor(`${count} replies or a stream error`, () => replies.length >= count || failed !== undefined);
    if (replies.length < count) throw failed;
    return replies.slice(0, count);
  };
  return { call, next, ended };
}

describe('comet gRPC server: PushStream', () => {
  it('answers key pushes and room batches by id, in the order sent, and counts each kind', async (t) => {
    const { client, stats } = await setup(t);
    const { call, next } = openStream(client);
    const msg = { op: 1000, body: Buffer.from('x'), ts: 0 };
    call.write({ id: 7, keys: { keys: ['nobody-here'], msg, force: true } });
    call.write({ id: 8, room: { room: 'r', msgs: [msg, msg] } });
    assert.deepEqual(await next(2), [
      { id: 7, delivered: 0 },
      { id: 8, delivered: 0 },
    ]);
    assert.equal(stats.keyPushes, 1);
    assert.equal(stats.roomMessages, 2);
    call.end();
  });

  it('refuses a message with neither kind with INVALID_ARGUMENT, and keeps serving new streams', async (t) => {
    const { client, pushStreams } = await setup(t);
    const first = openStream(client);
    first.call.write({ id: 1 });
    const error = await first.ended;
    assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
    assert.match(error.details, /neither room nor keys/);
    const second = openStream(client);
    second.call.write({ id: 2, room: { room: 'r', msgs: [] } });
    assert.deepEqual(await second.next(1), [{ id: 2, delivered: 0 }]);
    second.call.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(pushStreams.size, 0, 'ended and failed streams are forgotten');
  });
});
