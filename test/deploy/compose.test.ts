// `pnpm test:deploy` (scripts/deploy/test.sh builds the images first): the docker-compose cluster of
// deploy/ started for real, with deploy/compose.host.yml on top (host network, loopback ports),
// checked from outside the containers, one comet container restarted, then everything removed.
// Not part of `pnpm test` (scripts/test.mjs leaves test/deploy/ out): it needs a Docker engine.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ChatClient, directConv } from '../helpers/chat.ts';
import { TestClient } from '../helpers/client.ts';
import { probe, scrape } from '../helpers/metrics.ts';
import { eventually, repoRoot } from '../helpers/processes.ts';
import { get, post } from '../helpers/push.ts';
import { registerUser } from '../helpers/users.ts';

const PROJECT = 'imcluster-deploy-test';
const FILES = ['-f', 'deploy/docker-compose.yml', '-f', 'deploy/compose.host.yml'];
// The command of Docker Compose v2 (scripts/deploy/test.sh sets it: the CLI plugin or its own build).
const COMPOSE = (process.env.DEPLOY_COMPOSE ?? 'docker compose').split(' ');
const secret = () => randomBytes(32).toString('hex');
// Fresh secrets for every run; .env.example supplies the rest (and is checked to parse).
const env = { ...process.env, IM_JWT_SECRET: secret(), IM_API_KEY: secret(), IM_CLUSTER_SECRET: secret(), MARIADB_PASSWORD: secret() };

// Global flags that make the standalone service part of a command (it is a profile of its own).
const STANDALONE = ['--profile', 'standalone'];
const run = promisify(execFile);

/** Runs compose on the two files; `args` may start with global flags. Fails with compose's stderr. */
async function compose(...args: string[]): Promise<string> {
  const [cmd, ...pre] = COMPOSE;
  const all = [...pre, '-p', PROJECT, '--env-file', 'deploy/.env.example', ...FILES, ...args];
  try {
    return (await run(cmd!, all, { cwd: repoRoot, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { code, stderr } = error as { code?: number; stderr?: string };
    throw new Error(`${COMPOSE.join(' ')} ${args.join(' ')} failed (${code}):\n${stderr ?? String(error)}`);
  }
}

/** Each service's environment as the override resolves it: the addresses the test dials. */
async function serviceEnv(): Promise<Record<string, Record<string, string>>> {
  const config = JSON.parse(await compose(...STANDALONE, 'config', '--format', 'json')) as { services: Record<string, { environment: Record<string, string> }> };
  return Object.fromEntries(Object.entries(config.services).map(([name, s]) => [name, s.environment]));
}

/** The last lines of every container's log, for a failure's message. */
async function logs(): Promise<string> {
  try {
    return await compose('logs', '--no-color', '--tail', '40');
  } catch (error) {
    return String(error);
  }
}

let services: Record<string, Record<string, string>>;
const at = (service: string, port: string) => `127.0.0.1:${services[service]![port]}`;
let http: string;
const comets = ['comet-1', 'comet-2'] as const;
const cometAddr = (comet: string, kind: 'ws' | 'tcp') => at(comet, kind === 'ws' ? 'IM_COMET_WS_PORT' : 'IM_COMET_TCP_PORT');
const clients: TestClient[] = [];
const track = <T extends TestClient | ChatClient>(c: T): T => (clients.push(c instanceof ChatClient ? c.client : c), c);

before(async () => {
  services = await serviceEnv();
  http = `http://${at('logic', 'IM_LOGIC_HTTP_PORT')}`;
  // Leftovers of an interrupted run would hold the ports.
  await compose(...STANDALONE, 'down', '--volumes', '--remove-orphans', '--timeout', '5');
  try {
    await compose('up', '--detach', '--no-build', '--wait', '--wait-timeout', '600');
  } catch (error) {
    throw new Error(`the cluster did not become healthy: ${String(error)}\n${await logs()}`);
  }
});

after(async () => {
  for (const client of clients) client.close();
  await compose(...STANDALONE, 'down', '--volumes', '--remove-orphans', '--timeout', '30');
});

describe('the compose cluster, from outside its containers', () => {
  it('answers /readyz on every role', async () => {
    const ports: [string, string][] = [
      ['logic', 'IM_LOGIC_HTTP_PORT'],
      ['comet-1', 'IM_COMET_METRICS_PORT'],
      ['comet-2', 'IM_COMET_METRICS_PORT'],
      ['job-1', 'IM_JOB_METRICS_PORT'],
      ['job-2', 'IM_JOB_METRICS_PORT'],
    ];
    for (const [service, port] of ports) {
      const ready = await eventually(async () => ((await probe(at(service, port), '/readyz')).status === 200 ? true : undefined), `${service} /readyz`, 60_000, 500);
      assert.equal(ready, true);
    }
  });

  it('hands clients the comets\' public addresses, not their internal ones', async () => {
    const { body } = await get(`${http}/goim/nodes/weighted`);
    const nodes = (body.data as { nodes: { id: string; tcp: string; ws: string }[] }).nodes;
    for (const comet of comets) {
      const node = nodes.find((n) => n.id === comet);
      assert.ok(node, `${comet} listed`);
      assert.equal(node.ws, services[comet]!.IM_COMET_PUBLIC_WS_URL);
      assert.equal(node.tcp, services[comet]!.IM_COMET_PUBLIC_TCP);
    }
  });

  it('authenticates over WebSocket and TCP on both comets, and pushes to a room and to a user', async () => {
    const user = await registerUser(http);
    const room = `deploy${randomBytes(4).toString('hex')}`;
    const connected: TestClient[] = [];
    for (const comet of comets) {
      for (const kind of ['ws', 'tcp'] as const) {
        const client = track(await TestClient.connect(kind, cometAddr(comet, kind)));
        const reply = await client.auth({ room_id: `live://${room}`, accepts: [1000, 1001], token: user.token });
        assert.equal(reply.code, 0, `auth over ${kind} on ${comet}: ${JSON.stringify(reply)}`);
        connected.push(client);
      }
    }
    const toRoom = await post(`${http}/goim/push/room?operation=1000&type=live&room=${room}`, 'to the room', env.IM_API_KEY);
    assert.equal(toRoom.body.code, 0);
    const toUser = await post(`${http}/goim/push/mids?operation=1001&mids=${user.id}`, 'to the user', env.IM_API_KEY);
    assert.equal(toUser.body.code, 0);
    for (const client of connected) {
      await client.waitForMessages(2, 30_000);
      assert.deepEqual(client.messages.map((m) => `${m.op} ${m.body.toString()}`).sort(), ['1000 to the room', '1001 to the user']);
    }
  });

  it('is scraped: /metrics of logic and of a comet carry the traffic above', async () => {
    const comet = await scrape(at('comet-1', 'IM_COMET_METRICS_PORT'));
    const auths = comet.filter((s) => s.name === 'imcluster_comet_auth_total').reduce((sum, s) => sum + s.value, 0);
    assert.ok(auths >= 2, `comet-1 counted ${auths} authentications`);
    const logic = await scrape(at('logic', 'IM_LOGIC_HTTP_PORT'));
    assert.ok(logic.some((s) => s.name === 'process_cpu_seconds_total'), 'logic exposes the process metrics');
  });

  it('delivers a one-to-one chat message across comets, and loses nothing acknowledged when a comet container restarts', async () => {
    const alice = await registerUser(http, 'alice');
    const bob = await registerUser(http, 'bob');
    const sender = track(await ChatClient.connect('ws', cometAddr('comet-1', 'ws'), alice.token));
    let receiver = track(await ChatClient.connect('tcp', cometAddr('comet-2', 'tcp'), bob.token));
    const conv = directConv(alice.id, bob.id);

    const first = await sender.send(bob.id, 'before the restart');
    assert.equal(first.code, 0, JSON.stringify(first));
    const [delivered] = await receiver.waitDelivered(conv, 1);
    assert.equal(delivered!.payload, 'before the restart');
    receiver.ack(conv, delivered!.seq);

    // SIGTERM: comet-2 drains (close 3001 to its clients) and Docker starts it again.
    const restarted = compose('restart', '--timeout', '30', 'comet-2');
    const acked = [first];
    for (let i = 0; i < 5; i += 1) {
      const ack = await sender.send(bob.id, `during the restart ${i}`);
      assert.equal(ack.code, 0, JSON.stringify(ack));
      acked.push(ack);
    }
    await restarted;
    assert.equal(await receiver.client.waitClosed(30_000), 3001, 'comet-2 told its client to reconnect');

    await eventually(async () => ((await probe(at('comet-2', 'IM_COMET_METRICS_PORT'), '/readyz')).status === 200 ? true : undefined), 'comet-2 ready again', 120_000, 500);
    receiver = track(await ChatClient.connect('tcp', cometAddr('comet-2', 'tcp'), bob.token));
    const after = await sender.send(bob.id, 'after the restart');
    assert.equal(after.code, 0);
    acked.push(after);
    await receiver.waitDelivered(conv, 1);

    const history = await receiver.syncAll(conv);
    const seqs = new Set(history.map((m) => m.seq));
    for (const ack of acked) assert.ok(seqs.has(ack.seq!), `acknowledged message ${ack.seq} is in the conversation after the restart`);
    assert.equal(history.at(-1)!.payload, 'after the restart');
  });

  it('runs the standalone profile on its own', async () => {
    await compose(...STANDALONE, 'up', '--detach', '--no-build', '--wait', '--wait-timeout', '120', 'standalone');
    const node = services.standalone!;
    const api = `http://127.0.0.1:${node.IM_LOGIC_HTTP_PORT}`;
    assert.equal((await probe(`127.0.0.1:${node.IM_LOGIC_HTTP_PORT}`, '/readyz')).status, 200);
    const user = await registerUser(api);
    const client = track(await TestClient.ws(`127.0.0.1:${node.IM_COMET_WS_PORT}`));
    assert.equal((await client.auth({ room_id: '', accepts: [1000], token: user.token })).code, 0);
    assert.equal((await post(`${api}/goim/push/mids?operation=1000&mids=${user.id}`, 'standalone', env.IM_API_KEY)).body.code, 0);
    const [message] = await client.waitForMessages(1);
    assert.equal(message!.body.toString(), 'standalone');
  });
});
