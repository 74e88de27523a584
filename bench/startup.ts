/**
 * Start-up scenario: starts each role's main as an operator would (on the real infrastructure of
 * `pnpm infra:up`, a fresh namespace, ports chosen by the system), and reports per role the time
 * from spawn to its `ready` line, the CPU it used to get there, and its resident memory once idle.
 *
 *   pnpm bench:startup -- --runs 5 --roles comet,logic --idle 5
 *
 * The runner's own Node and NODE_COMPILE_CACHE apply to every process (unset the cache variable,
 * or point it at an empty folder, to measure a cold start).
 */
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TICK_MS = 10; // USER_HZ is 100 on Linux

const { values } = parseArgs({
  // `pnpm bench:startup -- --runs 5` passes the `--` on.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    runs: { type: 'string', default: '3' },
    roles: { type: 'string', default: 'comet,logic,job,standalone' },
    idle: { type: 'string', default: '5' },
  },
});

interface Sample {
  readyMs: number;
  cpuMs: number;
  rssMb: number;
}

function procStatus(pid: number): { cpuMs: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuMs: (Number(stat[11]) + Number(stat[12])) * TICK_MS, rssMb: rssKb / 1024 };
}

function waitReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"msg":"ready"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready`)));
  });
}

async function sample(role: string, idleSec: number): Promise<Sample> {
  const namespace = `startup${Math.random().toString(36).slice(2, 8)}`;
  // Cluster mode refuses to start without its secrets; any random ones do for a start-up measure.
  const secrets = Object.fromEntries(['IM_JWT_SECRET', 'IM_API_KEY', 'IM_CLUSTER_SECRET'].map((v) => [v, randomBytes(32).toString('hex')]));
  const env = {
    ...secrets,
    ...process.env,
    IM_NAMESPACE: namespace,
    IM_LOG_FORMAT: 'json',
    IM_DATA_DIR: path.join('/tmp', `imcluster-${namespace}`),
    ...Object.fromEntries(['IM_COMET_TCP_PORT', 'IM_COMET_WS_PORT', 'IM_COMET_GRPC_PORT', 'IM_LOGIC_HTTP_PORT', 'IM_LOGIC_GRPC_PORT'].map((v) => [v, '0'])),
  };
  const started = performance.now();
  const child = spawn(process.execPath, [`services/${role}/src/main.ts`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await waitReady(child);
    const readyMs = performance.now() - started;
    const { cpuMs } = procStatus(child.pid!);
    await new Promise((resolve) => setTimeout(resolve, idleSec * 1000));
    return { readyMs, cpuMs, rssMb: procStatus(child.pid!).rssMb };
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

process.stdout.write(`node ${process.version}, NODE_COMPILE_CACHE=${process.env.NODE_COMPILE_CACHE ?? '(unset)'}\n`);
process.stdout.write('role        ready ms  cpu ms  idle RSS MB   (medians of the runs)\n');
for (const role of values.roles.split(',')) {
  const samples: Sample[] = [];
  for (let i = 0; i < Number(values.runs); i++) samples.push(await sample(role, Number(values.idle)));
  const row = [median(samples.map((s) => s.readyMs)), median(samples.map((s) => s.cpuMs)), median(samples.map((s) => s.rssMb))];
  process.stdout.write(`${role.padEnd(10)}  ${row[0]!.toFixed(0).padStart(8)}  ${row[1]!.toFixed(0).padStart(6)}  ${row[2]!.toFixed(1).padStart(11)}\n`);
}
