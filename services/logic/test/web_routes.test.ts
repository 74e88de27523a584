import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { it, type TestContext } from 'node:test';
import { createLogger } from '@imcluster/common';
import { Health, Metrics } from '@imcluster/metrics';
import { MemoryRegistry } from '@imcluster/registry';
import { WebAssets } from '@imcluster/web';
import { Authenticator } from '../src/auth/authenticator.ts';
import { Tokens } from '../src/auth/tokens.ts';
import { ClusterView } from '../src/cluster_view.ts';
import { CometDirectory } from '../src/comet_directory.ts';
import { loadLogicConfig } from '../src/config.ts';
import type { HttpContext } from '../src/http/context.ts';
import { createHttpServer } from '../src/http/server.ts';

const logger = createLogger('test', 'silent');
const web = new WebAssets(); // built once for the file

/** Logic's HTTP server on a memory registry, with the pages, the admin routes and auth behind it. */
async function server(t: TestContext, env: Record<string, string> = {}) {
  const config = loadLogicConfig(env);
  const tokens = new Tokens(config.jwtSecret, config.tokenTtlSec);
  const auth = new Authenticator({ tokens, storage: { userById: async () => undefined, userOfSubject: () => Promise.reject(new Error('no external users in this test')) }, apiKey: config.apiKey, anonymousRooms: [] });
  const registry = new MemoryRegistry({ logger });
  const metrics = new Metrics();
  const comets = new CometDirectory(registry, { secret: 'logic-test-cluster-secret' }, metrics.grpc.client);
  await comets.start();
  const ctx = { config, auth, metrics, health: new Health(), comets, cluster: new ClusterView(registry, 500), web } as unknown as HttpContext;
  const app = createHttpServer(ctx, logger);
  t.after(async () => {
    await app.close();
    await comets.close();
    await registry.close();
  });
  return { app, registry, key: { authorization: `Bearer ${config.apiKey}` } };
}

/** A /metrics endpoint answering `text`, as a comet's or job's observability port does. */
async function metricsServer(t: TestContext, text: string): Promise<string> {
  const http = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(text));
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  t.after(() => new Promise((resolve) => http.close(resolve)));
  return `127.0.0.1:${(http.address() as AddressInfo).port}`;
}

it('serves both pages, their scripts and style, with a content security policy; nothing else under them', async (t) => {
  const { app } = await server(t);
  const redirect = await app.inject({ method: 'GET', url: '/admin' });
  assert.equal(redirect.statusCode, 302);
  assert.equal(redirect.headers.location, '/admin/');
  for (const page of ['demo', 'admin']) {
    const html = await app.inject({ method: 'GET', url: `/${page}/` });
    assert.equal(html.statusCode, 200);
    assert.match(String(html.headers['content-type']), /^text\/html/);
    assert.match(String(html.headers['content-security-policy']), /default-src 'self'/);
    assert.match(html.body, /<script type="module" src="app.js">/);
    const script = await app.inject({ method: 'GET', url: `/${page}/app.js` });
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /^text\/javascript/);
    assert.ok(!/from\s*["'](node:|@imcluster)/.test(script.body), 'one self-contained bundle');
    assert.equal((await app.inject({ method: 'GET', url: `/${page}/style.css` })).statusCode, 200);
  }
  for (const url of ['/demo/nope.js', '/demo/../package.json', '/admin/%2e%2e/src/assets.ts']) {
    const missing = await app.inject({ method: 'GET', url });
    assert.equal(missing.statusCode, 404, url);
    assert.equal(missing.json().error, 'NOT_FOUND');
  }
});

it('the admin routes need the API key', async (t) => {
  const { app } = await server(t);
  for (const [method, url] of [['GET', '/api/v1/admin/cluster'], ['POST', '/api/v1/admin/comets/c1/drain']] as const) {
    const res = await app.inject({ method, url, headers: { authorization: 'Bearer not-the-key' } });
    assert.equal(res.statusCode, 401, url);
    assert.equal(res.json().error, 'UNAUTHORIZED');
  }
});

it('the cluster view lists every registered process with what its /metrics says, each address counted once', async (t) => {
  const { app, registry, key } = await server(t);
  const comet = await metricsServer(
    t,
    [
      '# HELP imcluster_comet_connections x',
      'imcluster_comet_connections{transport="ws",dialect="goim"} 3',
      'imcluster_comet_connections{transport="tcp",dialect="goim"} 2',
      'imcluster_comet_frames_written_total 40',
      'imcluster_registry_lease_held{service="comet"} 1',
    ].join('\n'),
  );
  const job = await metricsServer(t, 'imcluster_job_consumer_lag_messages{partition="0"} 7\nimcluster_registry_lease_held{service="job"} 0\n');
  await registry.register({ id: 'c1', service: 'comet', addrs: { ws: '127.0.0.1:1', grpc: '127.0.0.1:2', metrics: comet } });
  await registry.register({ id: 'c2', service: 'comet', addrs: { ws: '127.0.0.1:3', grpc: '127.0.0.1:4', metrics: '127.0.0.1:9' } });
  await registry.register({ id: 'j1', service: 'job', addrs: { metrics: job } });
  // A standalone node's roles share one /metrics: read once, counted once.
  await registry.register({ id: 'n1', service: 'job', addrs: { metrics: comet } });

  const res = await app.inject({ method: 'GET', url: '/api/v1/admin/cluster', headers: key });
  assert.equal(res.statusCode, 200);
  const view = res.json() as { processes: { id: string; lease: string; connections?: number; error?: string }[]; totals: Record<string, number> };
  assert.deepEqual(
    view.processes.map((p) => [p.id, p.lease, p.connections]),
    [['c1', 'held', 5], ['c2', 'unknown', undefined], ['j1', 'lost', undefined], ['n1', 'unknown', undefined]],
  );
  assert.match(view.processes[1]!.error!, /unreachable/);
  assert.deepEqual(view.totals, { connections: 5, pushes: 0, deliveries: 40, drops: 0, slowCloses: 0, chatSends: 0, chatAcks: 0, lag: 7 });
});

it('a drain names a registered comet, and never the last one', async (t) => {
  const { app, registry, key } = await server(t);
  const unknown = await app.inject({ method: 'POST', url: '/api/v1/admin/comets/nope/drain', headers: key });
  assert.equal(unknown.statusCode, 404);
  await registry.register({ id: 'c1', service: 'comet', addrs: { grpc: '127.0.0.1:1' } });
  const last = await app.inject({ method: 'POST', url: '/api/v1/admin/comets/c1/drain', headers: key });
  assert.equal(last.statusCode, 409);
  assert.equal(last.json().error, 'CONFLICT');
});

it('the danmaku route exists only when IM_DEMO_DANMAKU is on, and needs a user token', async (t) => {
  const off = await server(t);
  assert.equal((await off.app.inject({ method: 'POST', url: '/api/v1/demo/danmaku', payload: { room: 'live://1', text: 'hi' } })).statusCode, 404);
  const on = await server(t, { IM_DEMO_DANMAKU: 'true' });
  const anonymous = await on.app.inject({ method: 'POST', url: '/api/v1/demo/danmaku', payload: { room: 'live://1', text: 'hi' } });
  assert.equal(anonymous.statusCode, 401);
});
