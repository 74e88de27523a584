import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

// Service ports come from below the kernel's ephemeral range (32768 and up by default): a port the
// OS hands out for listen(0) can be taken as the local port of an outgoing client socket before
// the service binds it, which tests with thousands of client connections made happen.
const SERVICE_PORTS = { from: 20000, to: 32000 };

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// A port is only checked, not held, until the service binds it: without this record one
// startStandalone could draw the same port twice for two of its listeners (a birthday collision
// that a full run of several hundred starts met now and then).
const handedOut = new Set<number>();

/** A port nobody listens on right now, outside the ephemeral range, never handed out before by this process. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = SERVICE_PORTS.from + Math.floor(Math.random() * (SERVICE_PORTS.to - SERVICE_PORTS.from));
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
}

/** A service started as its own process, as an operator would run it. */
export class ServiceProcess {
  readonly logs: Record<string, unknown>[] = [];
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly name: string;

  constructor(name: string, entry: string, env: Record<string, string>) {
    this.name = name;
    this.child = spawn(process.execPath, [entry], {
      cwd: repoRoot,
      env: { ...process.env, IM_LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = once(this.child, 'exit').then(([code]) => code as number | null);
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.#record(line));
    }
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first log line matching `predicate`, or rejects after `timeoutMs` or on exit. */
  async waitForLog(predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (let seen = 0; ; ) {
      for (; seen < this.logs.length; seen++) if (predicate(this.logs[seen]!)) return this.logs[seen]!;
      if (!this.alive) throw new Error(`${this.name} exited before the expected log line:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`${this.name}: expected log line not seen in ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  ready(timeoutMs = 60_000): Promise<Record<string, unknown>> {
    return this.waitForLog((l) => l.msg === 'ready', timeoutMs);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.alive) this.child.kill(signal);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    this.kill(signal);
    return this.exited;
  }

  tail(lines = 30): string {
    return this.logs
      .slice(-lines)
      .map((l) => JSON.stringify(l))
      .join('\n');
  }

  #record(line: string): void {
    try {
      this.logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      this.logs.push({ msg: line, raw: true });
    }
  }
}

/** Starts a service and makes the test kill it (SIGKILL) when done, whatever happened. */
export function startService(t: TestContext | { after(fn: () => unknown): void }, name: string, entry: string, env: Record<string, string>): ServiceProcess {
  const service = new ServiceProcess(name, entry, env);
  t.after(async () => {
    if (service.alive) {
      service.kill('SIGKILL');
      await service.exited;
    }
  });
  return service;
}

export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
