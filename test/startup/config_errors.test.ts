import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_KEY, CLUSTER_SECRET, JWT_SECRET } from '../helpers/cluster.ts';
import { startService } from '../helpers/processes.ts';

// Valid secrets, so that only the bad variables of each case are reported (test/startup/secrets.test.ts covers secrets).
const secrets = { IM_JWT_SECRET: JWT_SECRET, IM_API_KEY: API_KEY, IM_CLUSTER_SECRET: CLUSTER_SECRET };

/** Bad values across every schema a role reads (logs, adapters, its own), all in one run. */
const cases = [
  {
    role: 'comet',
    bad: { IM_LOG_LEVEL: 'verbose', IM_ETCD_ENDPOINTS: 'not-an-endpoint', IM_ROUTING_TTL_SEC: '0', IM_COMET_TCP_PORT: '70000', IM_COMET_BUCKETS: 'many', IM_CHAT_RESEND_SCHEDULE_MS: '1000,x', IM_COMET_HEAP: 'small' },
  },
  {
    role: 'logic',
    bad: {
      IM_LOG_FORMAT: 'xml',
      IM_MYSQL_URL: 'not-a-url',
      IM_KAFKA_BROKERS: 'http://kafka',
      IM_TOKEN_TTL_SEC: '0',
      IM_CHAT_GROUP_MAX_MEMBERS: '1',
      IM_CHAT_FRIENDS_ONLY: 'maybe',
      IM_AUTH_CONNECT_PROXY_URL: 'ftp://backend/connect',
      IM_AUTH_JWKS_ALGORITHMS: 'RS256,HS256',
    },
  },
  {
    role: 'job',
    bad: { IM_LOG_LEVEL: 'loud', IM_REDIS_URL: 'localhost:6379', IM_NAMESPACE: 'a b', IM_JOB_PUSH_ATTEMPTS: '0' },
  },
  {
    // One run finds the mistakes of all three roles it hosts.
    role: 'standalone',
    bad: {
      IM_LOG_LEVEL: 'verbose',
      IM_MODE: 'solo',
      IM_MYSQL_URL: 'not-a-url',
      IM_COMET_WS_PORT: '-1',
      IM_LOGIC_HTTP_PORT: 'http',
      IM_JOB_ROOM_BATCH_MAX: '0',
      IM_BANNER: 'sometimes',
    },
  },
] as const;

describe('a bad configuration is reported whole, without a stack trace', () => {
  for (const { role, bad } of cases) {
    it(`${role}: every bad variable, its value and what is allowed, in one run`, async (t) => {
      const service = startService(t, role, `services/${role}/src/main.ts`, { ...secrets, ...bad });
      assert.equal(await service.exited, 2);
      const lines = service.logs.map((l) => String(l.msg));
      assert.match(lines[0]!, new RegExp(`^${role}: invalid configuration:$`));
      const listed = lines.slice(1);
      assert.deepEqual(listed.map((l) => l.trim().split('=')[0]).sort(), Object.keys(bad).sort(), 'exactly the bad variables, each once');
      for (const [variable, value] of Object.entries(bad)) {
        const line = listed.find((l) => l.trim().startsWith(`${variable}=`));
        assert.ok(line?.startsWith(`  ${variable}=${value}: `) && line.length > `  ${variable}=${value}: `.length, `${variable} with its value and what is allowed: ${line}`);
      }
      assert.ok(!lines.some((l) => /^\s+at /.test(l)), 'no stack trace');
    });
  }

  it('says what each kind of setting allows', async (t) => {
    const service = startService(t, 'logic', 'services/logic/src/main.ts', { IM_LOG_LEVEL: 'verbose', IM_MYSQL_URL: 'not-a-url', IM_LOGIC_GRPC_PORT: '99999' });
    assert.equal(await service.exited, 2);
    const lines = service.logs.map((l) => String(l.msg));
    assert.ok(lines.includes('  IM_LOG_LEVEL=verbose: one of fatal, error, warn, info, debug, trace, silent'), lines.join('\n'));
    assert.ok(lines.includes('  IM_MYSQL_URL=not-a-url: a mysql://user:password@host:port/database URL, or memory'), lines.join('\n'));
    assert.ok(lines.includes('  IM_LOGIC_GRPC_PORT=99999: an integer from 0 to 65535'), lines.join('\n'));
  });
});
