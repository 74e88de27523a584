import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { errorCodes, ImError, type ErrorCode } from '@imcluster/common';
import { createLogicClient, createServer, fromGrpcError, grpcErrorCode, grpcStatus, loadProtos, serve, shutdown, toGrpcStatus, unary } from '../src/index.ts';

const credentials = { secret: 'errors-test-cluster-secret' };

const s = grpc.status;

test('gRPC table: each error code has the status a gRPC tool expects', () => {
  const expected: Record<ErrorCode, grpc.status> = {
    INVALID: s.INVALID_ARGUMENT,
    UNAUTHORIZED: s.UNAUTHENTICATED,
    FORBIDDEN: s.PERMISSION_DENIED,
    NOT_FOUND: s.NOT_FOUND,
    DUPLICATE: s.ALREADY_EXISTS,
    CONFLICT: s.FAILED_PRECONDITION,
    TOO_LARGE: s.RESOURCE_EXHAUSTED,
    RATE_LIMITED: s.RESOURCE_EXHAUSTED,
    UNAVAILABLE: s.UNAVAILABLE,
    OUTCOME_UNKNOWN: s.DEADLINE_EXCEEDED,
    INTERNAL: s.INTERNAL,
  };
  assert.deepEqual(grpcStatus, expected);
});

/** A Logic server whose Connect fails with the error code named in the auth body ("bug": an uncoded error). */
async function failingLogic(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const server = createServer(credentials);
  server.addService(loadProtos().LogicService.service, {
    Connect(call: grpc.ServerUnaryCall<{ auth: Buffer }, object>, callback: grpc.sendUnaryData<object>) {
      const name = call.request.auth.toString();
      callback(toGrpcStatus(name === 'bug' ? new TypeError('secret detail') : new ImError(name as ErrorCode, `refused: ${name}`)));
    },
  });
  const port = await serve(server, '127.0.0.1:0', credentials);
  t.after(() => shutdown(server, 100));
  return `127.0.0.1:${port}`;
}

function connect(address: string, auth: string): Promise<unknown> {
  const client = createLogicClient(address, credentials);
  return unary((md, opts, cb) => client.connect({ server: 't', auth: Buffer.from(auth) }, md, opts, cb), 3000).finally(() => client.close());
}

test('the error code crosses the gRPC boundary exactly, with the table status and the message', async (t) => {
  const address = await failingLogic(t);
  for (const code of errorCodes.filter((c) => c !== 'INTERNAL')) {
    const error = await connect(address, code).then(() => assert.fail('resolved'), (e: unknown) => e);
    assert.equal((error as grpc.ServiceError).code, grpcStatus[code], code);
    assert.equal(grpcErrorCode(error), code);
    const back = fromGrpcError(error);
    assert.ok(back instanceof ImError);
    assert.equal(back.code, code);
    assert.equal(back.message, `refused: ${code}`);
    assert.equal(back.cause, error);
  }
});

test('an uncoded error answers INTERNAL without its details', async (t) => {
  const address = await failingLogic(t);
  const error = await connect(address, 'bug').then(() => assert.fail('resolved'), (e: unknown) => e);
  assert.equal((error as grpc.ServiceError).code, s.INTERNAL);
  const back = fromGrpcError(error);
  assert.equal(back.code, 'INTERNAL');
  assert.doesNotMatch(back.message, /secret/);
});

test('a peer that cannot be reached is UNAVAILABLE, and not an answer of a handler', async () => {
  const server = createServer(credentials);
  const port = await serve(server, '127.0.0.1:0', credentials);
  await shutdown(server, 100);
  const error = await connect(`127.0.0.1:${port}`, 'x').then(() => assert.fail('resolved'), (e: unknown) => e);
  assert.equal(grpcErrorCode(error), undefined);
  assert.equal(fromGrpcError(error).code, 'UNAVAILABLE');
  assert.equal(fromGrpcError(new ImError('FORBIDDEN', 'kept')).message, 'kept');
});
