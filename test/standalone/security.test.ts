import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { loadProtos, unary } from '@imcluster/proto';
import { fileCleanup } from '../helpers/cleanup.ts';
import { CLUSTER_SECRET } from '../helpers/cluster.ts';
import { TestClient } from '../helpers/client.ts';
import { repoRoot } from '../helpers/processes.ts';
import { post } from '../helpers/push.ts';
import { startStandalone, tempDataDir, type StandaloneHandle } from '../helpers/standalone.ts';
import { registerUser } from '../helpers/users.ts';

const ALLOWED = 'https://app.example.com';
const cleanup = fileCleanup();
let node: StandaloneHandle;
let ca: Buffer;
const http = () => `http://${node.http}`;

// Certificates made at test time by the documented script: the comet's client listeners speak TLS,
// and the roles' gRPC runs over mutual TLS.
before(async () => {
  const certs = join(tempDataDir(cleanup), 'certs');
  execFileSync('bash', [join(repoRoot, 'scripts/dev-certs.sh'), certs, 'localhost,127.0.0.1'], { stdio: 'ignore' });
  ca = readFileSync(join(certs, 'ca.crt'));
  node = await startStandalone(cleanup, tempDataDir(cleanup), {
    IM_COMET_TLS_DIR: join(certs, 'comet'),
    IM_GRPC_TLS_DIR: join(certs, 'grpc'),
    IM_HTTP_CORS_ORIGINS: `${ALLOWED},https://admin.example.com`,
    IM_COMET_HANDSHAKE_TIMEOUT_MS: '1000',
  });
});

/** Closes the clients and waits until they are closed, before the node is killed under them. */
async function closeAll(clients: TestClient[]): Promise<void> {
  for (const client of clients) client.close();
  await Promise.all(clients.map((c) => c.closed));
}

describe('comet terminates TLS', () => {
  it('wss:// and TLS on TCP authenticate and receive pushes; the node list says so', async () => {
    const user = await registerUser(http());
    const clients = [await TestClient.ws(node.ws, '/sub', { ca }), await TestClient.tcp(node.tcp, { ca })];
    for (const client of clients) {
      assert.equal((await client.auth({ accepts: [1000], token: user.token })).code, 0);
    }
    assert.equal((await post(`${http()}/goim/push/mids?operation=1000&mids=${user.id}`, 'over tls')).status, 200);
    for (const client of clients) assert.equal((await client.waitForMessages(1))[0]!.body.toString(), 'over tls');
    const nodes = (await (await fetch(`${http()}/api/v1/nodes`)).json()) as { nodes: { ws: string; tls: boolean }[] };
    assert.deepEqual(
      nodes.nodes.map((n) => [n.ws, n.tls]),
      [[`wss://${node.ws}/sub`, true]],
    );
    await closeAll(clients);
  });

  it('a connection that never starts its TLS handshake is dropped after the handshake timeout', async () => {
    for (const address of [node.tcp, node.ws]) {
      const [host, port] = address.split(':');
      const socket = net.connect(Number(port), host);
      socket.on('error', () => undefined);
      // Node's own TLS handshake timeout would be 120 s; IM_COMET_HANDSHAKE_TIMEOUT_MS is 1 s here.
      const closed = await Promise.race([once(socket, 'close').then(() => true), sleep(15_000).then(() => false)]);
      socket.destroy();
      assert.ok(closed, `${address} kept a silent connection open`);
    }
  });

  it('a plaintext client gets no session', async () => {
    const plain = await TestClient.tcp(node.tcp);
    plain.send(7, JSON.stringify({ accepts: [1000] }));
    await plain.closed;
    assert.equal(plain.received.length, 0);
  });
});

describe('internal gRPC over mutual TLS', () => {
  // A Stats call that carries the right secret, over `credentials`.
  const stats = (credentials: grpc.ChannelCredentials) => {
    const client = new (loadProtos().CometService)(node.grpc, credentials);
    return unary((md, opts, cb) => {
      md.set('im-cluster-secret', CLUSTER_SECRET);
      return client.stats({}, md, opts, cb);
    }, 3000).finally(() => client.close());
  };

  it('refuses a plaintext peer and a TLS peer without a client certificate, even with the secret', async () => {
    await assert.rejects(() => stats(grpc.credentials.createInsecure()), (e: grpc.ServiceError) => e.code === grpc.status.UNAVAILABLE);
    await assert.rejects(() => stats(grpc.credentials.createSsl(ca, null, null, { checkServerIdentity: () => undefined })), (e: grpc.ServiceError) => e.code === grpc.status.UNAVAILABLE);
  });

  it('the roles reach each other: a user authenticates through comet -> logic', async () => {
    const client = await TestClient.ws(node.ws, '/sub', { ca });
    const user = await registerUser(http());
    assert.equal((await client.auth({ accepts: [1000], token: user.token })).code, 0);
    await closeAll([client]);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    fetch(`${http()}/api/v1/push/mids`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });

  it('answers the preflight of an allowed origin', async () => {
    const res = await preflight(ALLOWED);
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), ALLOWED);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /authorization/);
  });

  it('allows an allowed origin to read answers, and no other origin', async () => {
    const allowed = await fetch(`${http()}/api/v1/nodes`, { headers: { origin: ALLOWED } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), ALLOWED);
    const other = await fetch(`${http()}/api/v1/nodes`, { headers: { origin: 'https://evil.example.net' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    assert.equal((await preflight('https://evil.example.net')).headers.get('access-control-allow-origin'), null);
  });
});
