import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export type Role = 'cluster' | 'infra' | 'client' | 'driver';

export interface Proc {
  name: string;
  pid: number;
  role: Role;
  /** First word of its command line (node, java, mariadbd, ...). */
  command: string;
}

/** CPU ticks (user + system, all threads) and resident memory of a process at one instant. */
interface Sample {
  atMs: number;
  ticks: number;
  rssKb: number;
}

/** CPU in % of one core over a window, RSS in MB at its ends and at its peak. */
export interface ProcReport extends Proc {
  cpuPct: Record<string, number | null>;
  rssMb: Record<string, number | null>;
  peakRssMb: number | null;
}

const CLK_TCK = clockTicks();

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

function sample(pid: number): Sample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": comm may hold spaces, so split after its closing parenthesis.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]); // utime, stime (fields 14 and 15)
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    return { atMs: performance.now(), ticks, rssKb };
  } catch {
    return null; // the process is gone
  }
}

function commandOf(pid: number): string {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return path.basename(argv0);
  } catch {
    return '?';
  }
}

/** A variable of a process's start-up environment, if readable. */
export function envOf(pid: number, name: string): string | undefined {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((e) => e.startsWith(`${name}=`));
    return entry?.slice(name.length + 1);
  } catch {
    return undefined;
  }
}

function readPid(file: string): number | null {
  const pid = Number(readFileSync(file, 'utf8').replace(/\D/g, ''));
  return Number.isInteger(pid) && pid > 0 && existsSync(`/proc/${pid}`) ? pid : null;
}

/** *.pid files under `dir`, at most `depth` levels down, shallowest first. */
function pidFiles(dir: string, depth: number): string[] {
  if (!existsSync(dir)) return [];
  const here: string[] = [];
  const below: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    const stat = statSync(full, { throwIfNoEntry: false });
    if (stat?.isFile() && entry.endsWith('.pid')) here.push(full);
    else if (stat?.isDirectory() && depth > 0) below.push(...pidFiles(full, depth - 1));
  }
  return [...here.sort(), ...below];
}

/** The running cluster (.cluster/*.pid) and infrastructure (.infra/**.pid) processes. */
export function findProcesses(root: string): Proc[] {
  const procs: Proc[] = [];
  const seen = new Set<number>();
  const add = (file: string, base: string, role: Role) => {
    const pid = readPid(file);
    if (pid === null || seen.has(pid)) return; // stale file, or a second file naming the same process
    seen.add(pid);
    const name = path.relative(base, file).replace(/\.pid$/, '').replace(/^run\//, '');
    procs.push({ name, pid, role, command: commandOf(pid) });
  };
  for (const file of pidFiles(path.join(root, '.cluster'), 0)) add(file, path.join(root, '.cluster'), 'cluster');
  // .infra/run holds the services' own pid files; other pid files below .infra (a service's data
  // directory may hold one too) only add processes not seen yet.
  const infra = path.join(root, '.infra');
  for (const file of [...pidFiles(path.join(infra, 'run'), 0), ...pidFiles(infra, 3)]) add(file, infra, 'infra');
  return procs;
}

/**
 * Samples processes at named marks (CPU over each window between consecutive marks) and polls
 * their RSS in between for the peak.
 */
export class ProcMonitor {
  readonly #procs: Proc[] = [];
  readonly #marks: { label: string; samples: Map<number, Sample | null> }[] = [];
  readonly #peakKb = new Map<number, number>();

  add(proc: Proc): void {
    this.#procs.push(proc);
  }

  mark(label: string): void {
    const samples = new Map(this.#procs.map((p) => [p.pid, sample(p.pid)] as const));
    this.#marks.push({ label, samples });
    this.#notePeaks(samples);
  }

  /** Called about once per second. */
  poll(): void {
    this.#notePeaks(new Map(this.#procs.map((p) => [p.pid, sample(p.pid)] as const)));
  }

  /** Per process: CPU % over each window "a->b" between consecutive marks, RSS at each mark. */
  report(): ProcReport[] {
    return this.#procs.map((proc) => {
      const cpuPct: Record<string, number | null> = {};
      const rssMb: Record<string, number | null> = {};
      this.#marks.forEach((mark, i) => {
        const s = mark.samples.get(proc.pid);
        rssMb[mark.label] = s ? round(s.rssKb / 1024, 1) : null;
        const prev = i > 0 ? this.#marks[i - 1]! : undefined;
        const p = prev?.samples.get(proc.pid);
        if (prev) cpuPct[`${prev.label}->${mark.label}`] = p && s ? cpuBetween(p, s) : null;
      });
      const peak = this.#peakKb.get(proc.pid);
      return { ...proc, cpuPct, rssMb, peakRssMb: peak === undefined ? null : round(peak / 1024, 1) };
    });
  }

  #notePeaks(samples: Map<number, Sample | null>): void {
    for (const [pid, s] of samples) if (s) this.#peakKb.set(pid, Math.max(this.#peakKb.get(pid) ?? 0, s.rssKb));
  }
}

function cpuBetween(a: Sample, b: Sample): number {
  const wallSec = (b.atMs - a.atMs) / 1000;
  return wallSec > 0 ? round((((b.ticks - a.ticks) / CLK_TCK) / wallSec) * 100, 1) : 0;
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
