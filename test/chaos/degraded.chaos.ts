// Degraded modes on the clustered infrastructure: what the APIs answer while a dependency is below
// what it needs to serve, and that they serve again once it is back. Run by `pnpm test:chaos`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import { Op } from '@imcluster/protocol';
import { ChatClient } from '../helpers/chat.ts';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestClient } from '../helpers/client.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { eventually, freePort } from '../helpers/processes.ts';
import { post } from '../helpers/push.ts';
import { registerUser } from '../helpers/users.ts';
import { haEnv, heal, signal } from './ha_infra.ts';

const run = promisify(execFile);
const cleanup = fileCleanup();
const env = await haEnv();
// Routing goes to a Redis of this file's own, which it freezes; everything else is the HA set.
const { IM_REDIS_CLUSTER_NODES: _cluster, ...shared } = env;
delete process.env.IM_REDIS_CLUSTER_NODES;
Object.assign(process.env, shared);
const REDIS_TIMEOUT_MS = 2000;

let cluster: TestCluster;
let redis: ReturnType<typeof spawn>;

before(async () => {
  const port = await freePort();
  redis = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  cleanup.after(async () => {
    redis.kill('SIGCONT');
    redis.kill('SIGKILL');
    await once(redis, 'exit');
  });
  await eventually(async () => (await run('redis-cli', ['-p', String(port), 'ping'])).stdout.trim() === 'PONG', 'private redis');
  cluster = await TestCluster.start(cleanup, {
    logics: 1,
    comets: 1,
    jobs: 1,
    env: { IM_REDIS_URL: `redis://127.0.0.1:${port}`, IM_REDIS_TIMEOUT_MS: String(REDIS_TIMEOUT_MS), IM_REGISTRY_TTL_SEC: '4' },
  });
});

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

describe('degraded modes', { timeout: 600_000 }, () => {
  it('Kafka below min.insync.replicas: pushes answer 503 and chat sends 4504 instead of an ack; both succeed after the heal', async () => {
    const [alice, bob] = [await registerUser(cluster.http), await registerUser(cluster.http)];
    const chat = await ChatClient.connect('ws', cluster.comets[0]!.ws, alice.token);
    cleanup.after(() => chat.close());
    const push = () => post(`${cluster.http}/goim/push/mids?operation=1000&mids=${bob.id}`, 'degraded');
    assert.equal((await push()).status, 200);
    assert.equal((await chat.send(bob.id, 'before')).code, 0);

    signal('kafka1', 'SIGKILL');
    signal('kafka2', 'SIGKILL');
    const refused = await timed(() => push());
    assert.equal(refused.value.status, 503, `push answered ${refused.value.status}, not 503`);
    const send = await timed(() => chat.send(bob.id, 'during', 'degraded-1'));
    assert.ok(send.value.code === 4504 || send.value.code === 4503, `chat send answered ${send.value.code}, not a retryable refusal`);
    console.log(`Kafka below min.insync.replicas: push 503 in ${refused.ms} ms, chat send ${send.value.code} in ${send.ms} ms`);

    const healed = await timed(heal);
    const back = await timed(() => eventually(async () => ((await push()).status === 200 ? true : undefined), 'push accepted again', 120_000, 500));
    const retried = await chat.send(bob.id, 'during', 'degraded-1');
    assert.equal(retried.code, 0, 'the retry with the same id is acknowledged');
    console.log(`Kafka healed in ${healed.ms} ms; pushes accepted ${back.ms} ms later`);
  });

  it('Redis frozen: socket auth fails fast with 3004 instead of hanging; auth works again when Redis returns', async () => {
    const user = await registerUser(cluster.http);
    redis.kill('SIGSTOP');
    try {
      const client = await TestClient.ws(cluster.comets[0]!.ws);
      cleanup.after(() => client.close());
      const auth = await timed(async () => {
        client.send(Op.Auth, JSON.stringify({ room_id: '', accepts: [], token: user.token }));
        return client.waitClosed(REDIS_TIMEOUT_MS + 8000);
      });
      assert.equal(auth.value, 3004, 'closed with LOGIC_UNAVAILABLE');
      console.log(`Redis frozen: auth answered 3004 in ${auth.ms} ms`);
      assert.ok(auth.ms < REDIS_TIMEOUT_MS + 8000);
    } finally {
      redis.kill('SIGCONT');
    }
    const again = await TestClient.ws(cluster.comets[0]!.ws);
    cleanup.after(() => again.close());
    assert.equal((await again.auth({ room_id: '', accepts: [], token: user.token })).code, 0);
  });

  it('etcd down: connected clients keep chatting; the comet registers again when etcd returns', async () => {
    const [alice, bob] = [await registerUser(cluster.http), await registerUser(cluster.http)];
    const a = await ChatClient.connect('ws', cluster.comets[0]!.ws, alice.token);
    const b = await ChatClient.connect('tcp', cluster.comets[0]!.tcp, bob.token);
    cleanup.after(() => (a.close(), b.close()));
    for (const member of ['etcd1', 'etcd2', 'etcd3']) signal(member, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 6000)); // past the lease TTL
    const ack = await a.send(bob.id, 'while etcd is down');
    assert.equal(ack.code, 0);
    const conv = ack.conv!;
    await b.waitDelivered(conv, 1, 30_000);

    await heal();
    const key = `/${cluster.namespace}/services/comet/${cluster.comets[0]!.id}`;
    const registered = await timed(() =>
      eventually(
        async () => {
          const { stdout } = await run('etcdctl', [`--endpoints=${env.IM_ETCD_ENDPOINTS}`, 'get', '--keys-only', key], { env: { ...process.env, ETCDCTL_API: '3' } });
          return stdout.includes(key) ? true : undefined;
        },
        'comet registered again',
        60_000,
        500,
      ),
    );
    console.log(`etcd back: comet registered again ${registered.ms} ms after the heal`);
    assert.equal((await a.send(bob.id, 'after etcd returned')).code, 0);
  });
});
