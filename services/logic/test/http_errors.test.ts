import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { createLogger, errorCodeInfo, errorCodes, type ErrorCode } from '@imcluster/common';
import { Health, Metrics } from '@imcluster/metrics';
import { MemoryLimitStore } from '@imcluster/limits';
import { MemoryQueue } from '@imcluster/queue';
import { MemoryRegistry } from '@imcluster/registry';
import { MemoryRouting } from '@imcluster/routing';
import { MysqlStorage, SqliteStorage, type Storage } from '@imcluster/storage';
import { WebAssets } from '@imcluster/web';
import { Authenticator } from '../src/auth/authenticator.ts';
import { Tokens } from '../src/auth/tokens.ts';
import { ChatService } from '../src/chat/chat_service.ts';
import { ClusterView } from '../src/cluster_view.ts';
import { CometDirectory } from '../src/comet_directory.ts';
import { loadLogicConfig } from '../src/config.ts';
import { httpStatus, type HttpErrorBody } from '../src/http/errors.ts';
import { createHttpServer } from '../src/http/server.ts';
import { Online } from '../src/online.ts';
import { PushService } from '../src/push.ts';
import { Social } from '../src/social/social.ts';
import { createUsers } from '../src/users.ts';

const logger = createLogger('http-errors-test', process.env.IM_LOG_LEVEL ?? 'silent');
const config = loadLogicConfig({ IM_PUSH_MAX_BODY: '64' });
const API_KEY = { authorization: `Bearer ${config.apiKey}` };

/** Logic's HTTP API in-process on `storage` and a memory queue; `queueUp: false` closes the producer first. */
async function logicHttp(t: TestContext, storage: Storage, { queueUp = true } = {}): Promise<{ app: FastifyInstance; tokens: Tokens }> {
  const tokens = new Tokens(config.jwtSecret, config.tokenTtlSec);
  const queue = new MemoryQueue();
  await queue.ensureTopic('push', 1);
  const producer = await queue.producer();
  if (!queueUp) await producer.close();
  const metrics = new Metrics();
  const push = new PushService(producer, 'push', { maxBody: config.pushMaxBody, maxTargets: config.pushMaxTargets }, metrics.logic);
  const registry = new MemoryRegistry({ logger });
  const comets = new CometDirectory(registry, { secret: 'logic-test-cluster-secret' }, metrics.grpc.client);
  const chat = new ChatService({ storage, push, logger, ...config.chat, metrics: metrics.logic });
  const social = new Social({ storage, push, logger, groupMaxMembers: config.groupMaxMembers });
  const auth = new Authenticator({ tokens, storage, apiKey: config.apiKey, anonymousRooms: config.anonymousRooms });
  const routing = new MemoryRouting();
  const online = new Online(routing, comets);
  const users = createUsers(config.accounts, { storage, tokens, limits: new MemoryLimitStore(), routing, comets, logger });
  const app = createHttpServer({ config, auth, users, push, online, comets, social, chat, metrics, health: new Health(), cluster: new ClusterView(registry), web: new WebAssets() }, logger);
  t.after(async () => {
    await app.close();
    await producer.close();
    await queue.close();
    await storage.close();
  });
  return { app, tokens };
}

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'imcluster-http-errors-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

type Call = InjectOptions & { method: 'GET' | 'POST'; url: string };

async function answer(app: FastifyInstance, call: Call): Promise<{ status: number; body: HttpErrorBody }> {
  const res = await app.inject(call);
  return { status: res.statusCode, body: res.json() as HttpErrorBody };
}

function assertError(got: { status: number; body: HttpErrorBody }, code: ErrorCode, what: string): void {
  const status = httpStatus[code];
  assert.equal(got.status, status, `${what}: ${JSON.stringify(got.body)}`);
  assert.deepEqual({ ...got.body, message: typeof got.body.message }, { code: -status, message: 'string', error: code, retryable: errorCodeInfo[code].retryable }, what);
}

describe('HTTP error table', () => {
  it('maps every error code to its status; only rate limits, outages and unknown outcomes are retryable', () => {
    const byStatus: Record<number, ErrorCode[]> = { 400: ['INVALID'], 401: ['UNAUTHORIZED'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['DUPLICATE', 'CONFLICT'], 413: ['TOO_LARGE'], 429: ['RATE_LIMITED'], 500: ['INTERNAL'], 503: ['UNAVAILABLE'], 504: ['OUTCOME_UNKNOWN'] };
    assert.deepEqual(Object.values(byStatus).flat().sort(), [...errorCodes].sort(), 'every code has one status');
    for (const [status, codes] of Object.entries(byStatus)) for (const code of codes) assert.equal(httpStatus[code], Number(status), code);
    for (const code of errorCodes) assert.equal(errorCodeInfo[code].retryable, [429, 503, 504].includes(httpStatus[code]), code);
  });

  it('docs/operations.md lists every error code with its status and retry advice', () => {
    const doc = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');
    for (const code of errorCodes) {
      const row = doc.split('\n').find((line) => line.includes(`| \`${code}\` |`));
      assert.ok(row, `no table row for ${code}`);
      assert.ok(row.startsWith(`| ${httpStatus[code]} |`), `row for ${code} has the wrong status`);
      assert.ok(row.includes(errorCodeInfo[code].retryable ? '| yes |' : '| no |'), `row for ${code} has the wrong retry advice`);
    }
  });
});

describe('a storage outage answers 503 UNAVAILABLE, retryable, on every route that needs storage', () => {
  const outages: [string, (t: TestContext) => Promise<Storage>][] = [
    ['SQLite file that cannot be opened', async (t) => {
      const blocker = join(await tempDir(t), 'not-a-directory');
      await writeFile(blocker, '');
      return new SqliteStorage({ url: `file:${join(blocker, 'imcluster.db')}`, logger });
    }],
    ['MySQL server that refuses connections', async () => new MysqlStorage({ url: 'mysql://im:im@127.0.0.1:1/im', logger, connectTimeoutMs: 1000 })],
  ];
  for (const [what, open] of outages) {
    it(what, async (t) => {
      const { app, tokens } = await logicHttp(t, await open(t));
      const user = { authorization: `Bearer ${await tokens.mint(1, 0)}` };
      const credentials = { name: 'alice', password: 'alice-password' };
      const calls: Call[] = [
        { method: 'POST', url: '/api/v1/users', payload: credentials },
        { method: 'POST', url: '/api/v1/login', payload: credentials },
        { method: 'GET', url: '/api/v1/friends', headers: user },
        { method: 'GET', url: '/api/v1/groups', headers: user },
        { method: 'GET', url: '/api/v1/conversations/u:1:2/messages', headers: user },
      ];
      for (const call of calls) {
        const got = await answer(app, call);
        assertError(got, 'UNAVAILABLE', `${call.method} ${call.url}`);
        assert.doesNotMatch(got.body.message, /127\.0\.0\.1|ECONNREFUSED|not-a-directory/, 'no infrastructure details leak');
      }
    });
  }

  it('a queue outage answers the push routes the same way', async (t) => {
    const { app } = await logicHttp(t, new SqliteStorage({ url: `file:${join(await tempDir(t), 'im.db')}`, logger }), { queueUp: false });
    assertError(await answer(app, { method: 'POST', url: '/api/v1/push/mids', headers: API_KEY, payload: { operation: 1000, mids: [1], body: 'x' } }), 'UNAVAILABLE', 'api push');
    assertError(await answer(app, { method: 'POST', url: '/goim/push/mids?operation=1000&mids=1', headers: { ...API_KEY, 'content-type': 'text/plain' }, payload: 'x' }), 'UNAVAILABLE', 'goim push');
  });
});

describe('client mistakes answer 4xx with their code, through the one error handler', () => {
  it('on a healthy storage', async (t) => {
    const storage = new SqliteStorage({ url: `file:${join(await tempDir(t), 'im.db')}`, logger });
    await storage.migrate();
    const { app, tokens } = await logicHttp(t, storage);
    const credentials = { name: 'bob', password: 'bob-password' };
    assert.equal((await answer(app, { method: 'POST', url: '/api/v1/users', payload: credentials })).status, 201);
    const bob = { authorization: `Bearer ${await tokens.mint(1, 0)}` };
    const json = { 'content-type': 'application/json' };
    const cases: [ErrorCode, Call][] = [
      ['DUPLICATE', { method: 'POST', url: '/api/v1/users', payload: credentials }],
      ['UNAUTHORIZED', { method: 'POST', url: '/api/v1/login', payload: { ...credentials, password: 'wrong-password' } }],
      ['INVALID', { method: 'POST', url: '/api/v1/users', payload: '{"name":', headers: json }],
      ['INVALID', { method: 'POST', url: '/api/v1/users', payload: 'name=bob', headers: { 'content-type': 'text/plain' } }],
      ['UNAUTHORIZED', { method: 'GET', url: '/api/v1/friends' }],
      ['UNAUTHORIZED', { method: 'GET', url: '/api/v1/friends', headers: { authorization: `Bearer ${await tokens.mint(99, 0)}` } }],
      ['NOT_FOUND', { method: 'GET', url: '/api/v1/users/42', headers: bob }],
      ['NOT_FOUND', { method: 'GET', url: '/api/v1/nothing' }],
      ['FORBIDDEN', { method: 'GET', url: '/api/v1/conversations/u:2:3/messages', headers: bob }],
      ['UNAUTHORIZED', { method: 'POST', url: '/api/v1/push/all', payload: { operation: 1000 } }],
      ['TOO_LARGE', { method: 'POST', url: '/api/v1/push/all', headers: API_KEY, payload: { operation: 1000, body: 'x'.repeat(65) } }],
      ['INVALID', { method: 'POST', url: '/goim/push/room?operation=1000&type=nope&room=1', headers: API_KEY, payload: 'x' }],
      // Route schemas (zod) refuse through the same handler; credentials are checked before them.
      ['INVALID', { method: 'POST', url: '/api/v1/users', payload: { name: 'bob' } }],
      ['INVALID', { method: 'GET', url: '/api/v1/users/abc', headers: bob }],
      ['INVALID', { method: 'GET', url: '/api/v1/conversations?limit=0', headers: bob }],
      ['INVALID', { method: 'POST', url: '/goim/push/mids?operation=x&mids=1', headers: API_KEY, payload: 'x' }],
      ['UNAUTHORIZED', { method: 'GET', url: '/api/v1/users/abc' }],
      ['UNAUTHORIZED', { method: 'POST', url: '/api/v1/push/mids', payload: { mids: 'none' } }],
    ];
    for (const [code, call] of cases) {
      const got = await answer(app, call);
      assertError(got, code, `${call.method} ${call.url}`);
      assert.ok(got.body.message.length > 0);
    }
  });
});
