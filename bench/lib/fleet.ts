import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decodeFromCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { ClientCounts, ClientPlan, ToClient, ToDriver } from './ipc.ts';

const CLIENT_ENTRY = fileURLToPath(new URL('./client.ts', import.meta.url));
const FINAL_TIMEOUT_MS = 20_000;

interface Member {
  plan: ClientPlan;
  child: ChildProcess;
  counts: ClientCounts;
  ready?: Extract<ToDriver, { type: 'ready' }>;
  final?: Extract<ToDriver, { type: 'final' }>;
  exited: boolean;
}

export function zeroCounts(): ClientCounts {
  return { held: 0, failed: 0, lost: 0, delivered: 0, batches: 0, foreign: 0 };
}

function sumCounts(all: ClientCounts[]): ClientCounts {
  const total = zeroCounts();
  for (const c of all) for (const k of Object.keys(total) as (keyof ClientCounts)[]) total[k] += c[k];
  return total;
}

function addErrors(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
}

/** The forked client processes, seen from the driver: their latest counters and final results. */
export class Fleet {
  readonly #members: Member[];

  constructor(plans: ClientPlan[]) {
    this.#members = plans.map((plan) => this.#spawn(plan));
  }

  get pids(): number[] {
    return this.#members.map((m) => m.child.pid ?? 0);
  }

  /** Sum of the latest counters reported by every client process. */
  counts(): ClientCounts {
    return sumCounts(this.#members.map((m) => m.counts));
  }

  get readyCount(): number {
    return this.#members.filter((m) => m.ready).length;
  }

  /** Connections held per room and per comet at the end of the connect phase, over all processes. */
  members(rooms: number, comets: number): { perRoom: number[]; perComet: number[] } {
    const perRoom = new Array<number>(rooms).fill(0);
    const perComet = new Array<number>(comets).fill(0);
    for (const m of this.#members) {
      m.ready?.membersPerRoom.forEach((n, i) => (perRoom[i]! += n));
      m.ready?.membersPerComet.forEach((n, i) => (perComet[i]! += n));
    }
    return { perRoom, perComet };
  }

  /** Resolves when every process has attempted all its connections; calls `tick` each second. */
  async whenReady(tick: () => void, timeoutMs: number): Promise<void> {
    await this.#until(() => this.#members.every((m) => m.ready || m.exited), tick, timeoutMs);
    const late = this.#members.filter((m) => !m.ready);
    if (late.length) throw new Error(`client process(es) ${late.map((m) => m.plan.id).join(', ')} did not finish connecting`);
  }

  /** Asks every process to close its sockets; returns the merged histogram and error counts. */
  async stop(): Promise<{ counts: ClientCounts; histogram: Histogram | null; errors: Record<string, number>; missing: number; lastRecvMs: number }> {
    for (const m of this.#members) if (!m.exited) m.child.send({ type: 'stop' } satisfies ToClient);
    await this.#until(() => this.#members.every((m) => m.final || m.exited), () => undefined, FINAL_TIMEOUT_MS);
    let histogram: Histogram | null = null;
    const errors: Record<string, number> = {};
    for (const m of this.#members) {
      addErrors(errors, m.final?.errors ?? m.ready?.errors ?? {});
      if (!m.final) continue;
      const h = decodeFromCompressedBase64(m.final.histogram);
      if (histogram) histogram.add(h);
      else histogram = h;
    }
    const missing = this.#members.filter((m) => !m.final).length;
    const lastRecvMs = Math.max(0, ...this.#members.map((m) => m.final?.lastRecvMs ?? 0));
    for (const m of this.#members) if (!m.exited) m.child.kill();
    return { counts: sumCounts(this.#members.map((m) => m.final?.counts ?? m.counts)), histogram, errors, missing, lastRecvMs };
  }

  #spawn(plan: ClientPlan): Member {
    const child = fork(CLIENT_ENTRY, [JSON.stringify(plan)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const member: Member = { plan, child, counts: zeroCounts(), exited: false };
    child.on('message', (message: ToDriver) => {
      member.counts = message.counts;
      if (message.type === 'ready') member.ready = message;
      if (message.type === 'final') member.final = message;
    });
    child.on('exit', () => (member.exited = true));
    return member;
  }

  async #until(done: () => boolean, tick: () => void, timeoutMs: number): Promise<void> {
    const start = performance.now();
    let lastTick = start;
    while (!done() && performance.now() - start < timeoutMs) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (performance.now() - lastTick >= 1000) {
        lastTick += 1000;
        tick();
      }
    }
  }
}
