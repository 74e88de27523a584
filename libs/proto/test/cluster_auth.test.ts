import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { createLogicClient, createServer, fromGrpcError, grpcErrorCode, loadProtos, serve, shutdown, unary, type CallObserver } from '../src/index.ts';

const credentials = { secret: 'cluster-auth-test-secret-0123456789abcdef' };

/** A Logic server whose Heartbeat counts the calls that reached it; `seen` lists every status the observer saw. */
async function logicServer(t: { after(fn: () => Promise<void>): void }) {
  const reached: string[] = [];
  const seen: number[] = [];
  const observer: CallObserver = { observe: (_path, code) => seen.push(code) };
  const server = createServer(credentials, observer);
  server.addService(loadProtos().LogicService.service, {
    Heartbeat(call: grpc.ServerUnaryCall<{ server: string }, object>, callback: grpc.sendUnaryData<object>) {
      reached.push(call.request.server);
      assert.equal(call.metadata.get('im-cluster-secret').length, 0, 'the secret is not handed on to handlers');
      callback(null, {});
    },
  });
  const port = await serve(server, '127.0.0.1:0', credentials);
  t.after(() => shutdown(server, 100));
  return { address: `127.0.0.1:${port}`, reached, seen };
}

function heartbeat(address: string, secret: string, from: string): Promise<unknown> {
  const client = createLogicClient(address, { secret });
  return unary((md, opts, cb) => client.heartbeat({ server: from, alive: [] }, md, opts, cb), 3000).finally(() => client.close());
}

test('a call with the cluster secret reaches its handler', async (t) => {
  const logic = await logicServer(t);
  await heartbeat(logic.address, credentials.secret, 'friend');
  assert.deepEqual(logic.reached, ['friend']);
});

test('a call without the secret, or with a wrong one, is refused UNAUTHENTICATED before any handler runs, and read as UNAVAILABLE', async (t) => {
  const logic = await logicServer(t);
  const wrong = [credentials.secret.slice(0, -1), `${credentials.secret}x`, credentials.secret.toUpperCase()];
  for (const secret of ['', ...wrong]) {
    const error = await heartbeat(logic.address, secret, 'stranger').then(() => assert.fail('accepted'), (e: unknown) => e);
    assert.equal((error as grpc.ServiceError).code, grpc.status.UNAUTHENTICATED, `secret "${secret}"`);
    assert.equal(grpcErrorCode(error), undefined, 'no handler answered');
    // To the caller (a comet serving clients, a job holding a batch) the peer is unusable, not the client wrong.
    assert.equal(fromGrpcError(error).code, 'UNAVAILABLE');
    assert.match(fromGrpcError(error).message, /IM_CLUSTER_SECRET/);
  }
  // A client that sends no metadata at all (not ours).
  const bare = new (loadProtos().LogicService)(logic.address, grpc.credentials.createInsecure());
  const error = await unary((md, opts, cb) => bare.heartbeat({ server: 'bare', alive: [] }, md, opts, cb), 3000).then(() => assert.fail('accepted'), (e: unknown) => e);
  bare.close();
  assert.equal((error as grpc.ServiceError).code, grpc.status.UNAUTHENTICATED);
  assert.deepEqual(logic.reached, []);
  assert.deepEqual(logic.seen, Array(5).fill(grpc.status.UNAUTHENTICATED), 'every refusal is counted in the call metrics');
});
