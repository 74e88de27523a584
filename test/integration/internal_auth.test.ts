import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type * as grpc from '@grpc/grpc-js';
import { createCometClient, createLogicClient, grpcErrorCode, unary } from '@imcluster/proto';
import { fileCleanup } from '../helpers/cleanup.ts';
import { API_KEY, CLUSTER_SECRET, TestCluster } from '../helpers/cluster.ts';
import { TestClient } from '../helpers/client.ts';
import { get } from '../helpers/push.ts';
import { registerUser } from '../helpers/users.ts';

const UNAUTHENTICATED = 16;
const hooks = fileCleanup();
let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(hooks, { comets: 1, jobs: 1 });
});

/** The secrets an attacker who reached the port might try. */
const wrongSecrets = ['', 'imcluster-dev-api-key', CLUSTER_SECRET.slice(0, -1), `${CLUSTER_SECRET}0`];

async function refusal(call: Promise<unknown>): Promise<grpc.ServiceError> {
  const error = (await call.then(() => assert.fail('the call was accepted'), (e: unknown) => e)) as grpc.ServiceError;
  assert.equal(error.code, UNAUTHENTICATED, error.message);
  assert.equal(grpcErrorCode(error), undefined, 'refused before any handler');
  assert.match(error.details, /IM_CLUSTER_SECRET/);
  return error;
}

/** A user connected to the comet, authenticated, accepting op 1000. */
async function connectedUser() {
  const user = await registerUser(cluster.http);
  const client = await TestClient.tcp(cluster.comets[0]!.tcp);
  assert.equal((await client.auth({ accepts: [1000], token: user.token })).code, 0);
  hooks.after(() => client.close());
  return { user, client };
}

describe('logic gRPC: Chat and Push need the cluster secret', () => {
  const chat = (secret: string, mid: number) => {
    const logic = createLogicClient(cluster.logics[0]!.grpc, { secret });
    const ops = [{ op: 22, body: Buffer.from('{"conv":"u:1:2","after":0,"limit":10}') }];
    return unary<{ replies: unknown[] }>((md, opts, cb) => logic.chat({ server: 'attacker', mid, key: 'k', ops, device: '' }, md, opts, cb), 5000).finally(() => logic.close());
  };
  const push = (secret: string, mid: number, body: string) => {
    const logic = createLogicClient(cluster.logics[0]!.grpc, { secret });
    const msg = { type: 'MIDS' as const, operation: 1000, mids: [mid], msg: Buffer.from(body) };
    return unary<{ id: string }>((md, opts, cb) => logic.push(msg, md, opts, cb), 5000).finally(() => logic.close());
  };

  it('Chat as any user is refused without the secret, and answered with it', async () => {
    const { user } = await connectedUser();
    for (const secret of wrongSecrets) await refusal(chat(secret, user.id));
    const answered = await chat(CLUSTER_SECRET, user.id);
    assert.equal(answered.replies.length, 1);
  });

  it('Push is refused without the secret; with it, it reaches the user through job and comet', async () => {
    const { user, client } = await connectedUser();
    for (const secret of wrongSecrets) await refusal(push(secret, user.id, `forged with "${secret}"`));
    const { id } = await push(CLUSTER_SECRET, user.id, 'pushed with the secret');
    assert.ok(id);
    await client.waitForMessages(1);
    assert.deepEqual(
      client.messages.map((m) => m.body.toString()),
      ['pushed with the secret'],
    );
  });
});

describe('comet gRPC: Broadcast needs the cluster secret', () => {
  const broadcast = (secret: string, body: string) => {
    const comet = createCometClient(cluster.comets[0]!.grpc, { secret });
    return unary((md, opts, cb) => comet.broadcast({ msg: { op: 1000, body: Buffer.from(body) }, speed: 0 }, md, opts, cb), 5000).finally(() => comet.close());
  };

  it('is refused without the secret, and delivered with it', async () => {
    const { client } = await connectedUser();
    for (const secret of wrongSecrets) await refusal(broadcast(secret, 'forged broadcast'));
    await broadcast(CLUSTER_SECRET, 'real broadcast');
    await client.waitForMessages(1);
    assert.deepEqual(
      client.messages.map((m) => m.body.toString()),
      ['real broadcast'],
    );
  });
});

describe('public routes list client addresses only', () => {
  it('/api/v1/nodes and /goim/nodes/weighted show no gRPC address; /goim/nodes/instances needs the API key', async () => {
    const grpcAddress = cluster.comets[0]!.grpc;
    for (const path of ['/api/v1/nodes', '/goim/nodes/weighted']) {
      const res = await get(`${cluster.http}${path}`);
      assert.equal(res.status, 200);
      assert.ok(!JSON.stringify(res.body).includes(grpcAddress), `${path}: ${JSON.stringify(res.body)}`);
      assert.match(JSON.stringify(res.body), new RegExp(cluster.comets[0]!.tcp));
    }
    assert.equal((await get(`${cluster.http}/goim/nodes/instances`)).status, 401);
    const instances = await get(`${cluster.http}/goim/nodes/instances`, API_KEY);
    assert.ok(JSON.stringify(instances.body).includes(grpcAddress));
  });

  it('without IM_HTTP_CORS_ORIGINS no origin gets CORS access, and preflights are not answered', async () => {
    const origin = 'https://app.example.com';
    const res = await fetch(`${cluster.http}/api/v1/nodes`, { headers: { origin } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const preflight = await fetch(`${cluster.http}/api/v1/push/mids`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 404);
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  });
});

describe('a process with another cluster secret', () => {
  it('is refused by its peers, and its clients are told to retry (3004), not that their token is bad', async () => {
    const stray = await cluster.addComet({ IM_CLUSTER_SECRET: `another-${CLUSTER_SECRET}` });
    try {
      const user = await registerUser(cluster.http);
      const client = await TestClient.tcp(stray.tcp);
      const reply = await client.auth({ accepts: [1000], token: user.token });
      assert.equal(reply.code, 3004, JSON.stringify(reply));
      client.close();
    } finally {
      await stray.process.stop();
    }
  });
});
