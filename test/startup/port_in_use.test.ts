import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { freePort, startService } from '../helpers/processes.ts';

/** Holds a port the way another program would. */
async function occupy(t: TestContext): Promise<number> {
  const port = await freePort();
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  t.after(() => server.close());
  return port;
}

// Embedded adapters: the test is about the listeners, not the infrastructure.
const cases = [
  { role: 'comet', taken: 'IM_COMET_WS_PORT', ports: ['IM_COMET_TCP_PORT', 'IM_COMET_WS_PORT', 'IM_COMET_GRPC_PORT'] },
  { role: 'comet', taken: 'IM_COMET_GRPC_PORT', ports: ['IM_COMET_TCP_PORT', 'IM_COMET_WS_PORT', 'IM_COMET_GRPC_PORT'] },
  { role: 'logic', taken: 'IM_LOGIC_HTTP_PORT', ports: ['IM_LOGIC_HTTP_PORT', 'IM_LOGIC_GRPC_PORT'] },
  { role: 'standalone', taken: 'IM_COMET_TCP_PORT', ports: ['IM_LOGIC_HTTP_PORT', 'IM_LOGIC_GRPC_PORT', 'IM_COMET_TCP_PORT', 'IM_COMET_WS_PORT', 'IM_COMET_GRPC_PORT'] },
] as const;

describe('a port already in use ends the process with one line naming the variable to change', () => {
  for (const { role, taken, ports } of cases) {
    it(`${role}: ${taken}`, async (t) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'imcluster-ports-'));
      t.after(() => rmSync(dataDir, { recursive: true, force: true }));
      const env: Record<string, string> = { IM_MODE: 'standalone', IM_DATA_DIR: dataDir };
      for (const variable of ports) env[variable] = String(variable === taken ? await occupy(t) : await freePort());
      const service = startService(t, role, `services/${role}/src/main.ts`, env);
      assert.equal(await service.exited, 2);
      const last = service.logs.at(-1)!;
      assert.equal(last.msg, `port ${env[taken]} is already in use: set ${taken} to a free port`);
      assert.equal(last.level, 60);
      assert.ok(!service.logs.some((l) => l.raw || l.err), `only log lines, no stack trace:\n${service.tail()}`);
    });
  }
});
