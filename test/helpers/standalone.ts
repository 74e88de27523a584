import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cleanup } from './cleanup.ts';
import { API_KEY, CLUSTER_SECRET, JWT_SECRET } from './cluster.ts';
import { freePort, startService, type ServiceProcess } from './processes.ts';

export interface StandaloneHandle {
  http: string;
  ws: string;
  tcp: string;
  grpc: string;
  dataDir: string;
  process: ServiceProcess;
}

/** A fresh data folder removed when the file's tests end. */
export function tempDataDir(cleanup: Cleanup): string {
  const dir = mkdtempSync(join(tmpdir(), 'imcluster-node-'));
  cleanup.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `pnpm start` as a real process, on free ports, with its data in `dataDir`. */
export async function startStandalone(cleanup: Cleanup, dataDir: string, env: Record<string, string> = {}): Promise<StandaloneHandle> {
  const process = startService(cleanup, 'standalone', 'services/standalone/src/main.ts', {
    IM_DATA_DIR: dataDir,
    IM_JWT_SECRET: JWT_SECRET,
    IM_API_KEY: API_KEY,
    IM_CLUSTER_SECRET: CLUSTER_SECRET,
    IM_LOGIC_HTTP_PORT: String(await freePort()),
    IM_LOGIC_GRPC_PORT: String(await freePort()),
    IM_COMET_TCP_PORT: String(await freePort()),
    IM_COMET_WS_PORT: String(await freePort()),
    IM_COMET_GRPC_PORT: String(await freePort()),
    IM_COMET_RENEW_ONLINE_MS: '300',
    IM_COMET_SWEEP_MS: '200',
    // Tests register and log in many users from 127.0.0.1; the address limit has its own tests.
    IM_AUTH_ADDRESS_PER_MIN: '0',
    ...env,
  });
  const ready = await process.ready();
  return { http: String(ready.http), ws: String(ready.ws), tcp: String(ready.tcp), grpc: String(ready.grpc), dataDir, process };
}
