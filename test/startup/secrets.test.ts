import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SECRET_MIN_LENGTH } from '@imcluster/common';
import { API_KEY, CLUSTER_SECRET, JWT_SECRET } from '../helpers/cluster.ts';
import { startService } from '../helpers/processes.ts';

const good = { IM_JWT_SECRET: JWT_SECRET, IM_API_KEY: API_KEY, IM_CLUSTER_SECRET: CLUSTER_SECRET };
const DEV_JWT_SECRET = 'imcluster-dev-jwt-secret-change-me';
const DEV_API_KEY = 'imcluster-dev-api-key';

/** Starts `role` in cluster mode with `env`; asserts exit status 2 and returns the lines naming problems. */
async function refused(t: Parameters<typeof startService>[0], role: string, env: Record<string, string>): Promise<string[]> {
  const service = startService(t, role, `services/${role}/src/main.ts`, { IM_MODE: 'cluster', ...env });
  assert.equal(await service.exited, 2, service.tail());
  const lines = service.logs.map((l) => String(l.msg));
  assert.equal(lines[0], `${role}: invalid configuration:`);
  return lines.slice(1);
}

describe('cluster mode refuses to start with a missing, development or short secret', () => {
  it('logic: each secret missing is named on its own line', async (t) => {
    const lines = await refused(t, 'logic', {});
    assert.deepEqual(
      lines.map((l) => l.trim().split('=')[0]),
      ['IM_CLUSTER_SECRET', 'IM_JWT_SECRET', 'IM_API_KEY'],
    );
    for (const line of lines) assert.match(line, new RegExp(`^  IM_\\w+=: required in cluster mode: a random secret of at least ${SECRET_MIN_LENGTH} characters`));
  });

  it('logic: the documented development values are refused, and never echoed', async (t) => {
    const lines = await refused(t, 'logic', { ...good, IM_JWT_SECRET: DEV_JWT_SECRET, IM_API_KEY: DEV_API_KEY });
    assert.deepEqual(lines, [
      `  IM_JWT_SECRET=<hidden, ${DEV_JWT_SECRET.length} characters>: the documented development value, refused in cluster mode (generate one: openssl rand -hex 32)`,
      `  IM_API_KEY=<hidden, ${DEV_API_KEY.length} characters>: the documented development value, refused in cluster mode (generate one: openssl rand -hex 32)`,
    ]);
  });

  it(`logic: a secret shorter than ${SECRET_MIN_LENGTH} characters is refused`, async (t) => {
    const lines = await refused(t, 'logic', { ...good, IM_API_KEY: 'x'.repeat(SECRET_MIN_LENGTH - 1) });
    assert.deepEqual(lines, [`  IM_API_KEY=<hidden, ${SECRET_MIN_LENGTH - 1} characters>: at least ${SECRET_MIN_LENGTH} characters (generate one: openssl rand -hex 32)`]);
  });

  for (const role of ['comet', 'job']) {
    it(`${role}: the cluster secret is required`, async (t) => {
      const lines = await refused(t, role, {});
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0]!, /^ {2}IM_CLUSTER_SECRET=: required in cluster mode/);
    });
  }
});

describe('standalone works out of the box with the development secrets', () => {
  it('starts, and warns in its log and banner', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'imcluster-secrets-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const ports = { IM_LOGIC_HTTP_PORT: '0', IM_LOGIC_GRPC_PORT: '0', IM_COMET_TCP_PORT: '0', IM_COMET_WS_PORT: '0', IM_COMET_GRPC_PORT: '0' };
    const service = startService(t, 'standalone', 'services/standalone/src/main.ts', { IM_DATA_DIR: dataDir, IM_BANNER: '1', ...ports });
    await service.ready();
    const warned = service.logs.find((l) => l.msg === 'development secrets in use: set your own before others can reach this node');
    assert.deepEqual(warned?.variables, ['IM_JWT_SECRET', 'IM_API_KEY']);
    await service.waitForLog((l) => l.raw === true && /WARNING {2}IM_JWT_SECRET and IM_API_KEY are the public development value/.test(String(l.msg)));
  });
});
