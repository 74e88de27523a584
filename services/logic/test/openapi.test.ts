import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { RouteOptions } from 'fastify';
import { createLogger } from '@imcluster/common';
import { Health, Metrics } from '@imcluster/metrics';
import { Authenticator } from '../src/auth/authenticator.ts';
import { Tokens } from '../src/auth/tokens.ts';
import { loadLogicConfig } from '../src/config.ts';
import type { HttpContext } from '../src/http/context.ts';
import { createHttpServer } from '../src/http/server.ts';

/** The HTTP server with nothing behind it but auth: enough to list routes, serve the document and refuse requests. */
function server() {
  const config = loadLogicConfig({});
  const tokens = new Tokens(config.jwtSecret, config.tokenTtlSec);
  const auth = new Authenticator({ tokens, storage: { userById: async () => undefined, userOfSubject: () => Promise.reject(new Error('no storage')) }, apiKey: config.apiKey, anonymousRooms: [] });
  const ctx = { config, auth, metrics: new Metrics(), health: new Health() } as unknown as HttpContext;
  const app = createHttpServer(ctx, createLogger('test', 'silent'));
  const routes: { method: string; url: string }[] = [];
  // Registered before the plugins load (at ready()), so it sees every route they add.
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  return { app, routes };
}

type Operation = { summary?: string; parameters?: { name: string; in: string }[]; responses?: object };

it('the OpenAPI document lists every route of the server, and every route it lists exists', async (t) => {
  const { app, routes } = server();
  t.after(() => app.close());
  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(res.statusCode, 200);
  const doc = res.json() as { openapi: string; paths: Record<string, Record<string, Operation>> };
  assert.equal(doc.openapi, '3.1.0');

  const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
  const served = routes.map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
  assert.ok(served.length > 30, `routes seen: ${served.length}`);
  assert.deepEqual([...documented].sort(), [...served].sort(), 'documented routes = served routes');
  for (const route of routes) {
    assert.ok(app.hasRoute({ method: route.method as 'GET', url: route.url }), `${route.method} ${route.url} exists`);
  }
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      assert.ok(op.summary, `${method} ${path} has a summary`);
      assert.ok(op.responses, `${method} ${path} has responses`);
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      assert.deepEqual(op.parameters?.filter((p) => p.in === 'path').map((p) => p.name) ?? [], pathParams, `${method} ${path} documents its path parameters`);
    }
  }
});

it('documents what validation requires: required query parameters, body schemas, auth', async (t) => {
  const { app } = server();
  t.after(() => app.close());
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, { parameters?: { name: string; required: boolean; schema: { type?: string } }[]; requestBody?: { content: Record<string, { schema: { required?: string[] } }> }; security?: object[] }>>;
  };
  const mids = doc.paths['/goim/push/mids']!.post!;
  assert.deepEqual(mids.parameters?.map((p) => [p.name, p.required, p.schema.type]), [['operation', true, 'integer'], ['mids', true, 'array']]);
  assert.deepEqual(mids.security, [{ apiKey: [] }]);
  const all = doc.paths['/goim/push/all']!.post!;
  assert.deepEqual(all.parameters?.map((p) => [p.name, p.required]), [['operation', true], ['speed', false]]);
  const register = doc.paths['/api/v1/users']!.post!;
  assert.deepEqual(register.requestBody?.content['application/json']?.schema.required, ['name', 'password']);
  assert.deepEqual(doc.paths['/api/v1/groups/{id}/members']!.post!.security, [{ userToken: [] }]);
});

it('a request the schema refuses is a 400 INVALID naming the field', async (t) => {
  const { app } = server();
  t.after(() => app.close());
  const res = await app.inject({ method: 'POST', url: '/goim/push/mids?operation=abc&mids=1', payload: 'x' });
  assert.equal(res.statusCode, 400);
  assert.deepEqual(res.json(), { code: -400, message: 'operation: must be an integer', error: 'INVALID', retryable: false });
  const body = await app.inject({ method: 'POST', url: '/api/v1/users', payload: { name: 'a b', password: 'secret1' } });
  assert.equal(body.statusCode, 400);
  assert.equal(body.json().error, 'INVALID');
  assert.match(body.json().message, /^name: /);
});

it('the API key and the user token are checked before the request is validated', async (t) => {
  const { app } = server();
  t.after(() => app.close());
  const noKey = await app.inject({ method: 'POST', url: '/api/v1/push/room', payload: { operation: 1 } });
  assert.equal(noKey.statusCode, 401, 'the API key is checked before the body');
  assert.equal(noKey.json().error, 'UNAUTHORIZED');
  const noToken = await app.inject({ method: 'POST', url: '/api/v1/groups/x/members', payload: { user: 'nobody' } });
  assert.equal(noToken.statusCode, 401, 'the token is checked before the path and the body');
  assert.equal(noToken.json().error, 'UNAUTHORIZED');
});
