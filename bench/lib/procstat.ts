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
  sysTicks: number;
  rssKb: number;
}

/** CPU in % of one core over a window, RSS in MB at its ends and at its peak. */
export interface ProcReport extends Proc {
  cpuPct: Record<string, number | null>;
  /** The part of cpuPct spent in the kernel: on loopback it includes the receiving side's TCP work. */
  sysPct: Record<string, number | null>;
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
    const sysTicks = Number(rest[12]); // stime (field 15)
    const ticks = Number(rest[11]) + sysTicks; // + utime (field 14)
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    return { atMs: performance.now(), ticks, sysTicks, rssKb };
  } catch {
    return null; // the process is gone
  }
}

/** Busy and total jiffies of the whole machine (first line of /proc/stat), all cores together. */
function machineSample(): { atMs: number; busy: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0); // up to steal; guest is inside user
    return { atMs: performance.now(), busy: total - idle };
  } catch {
    return null;
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

/**
 * The running cluster (.cluster/*.pid) and infrastructure (.infra/**.pid, or below `infra` when
 * another checkout runs it) processes.
 */
export function findProcesses(root: string, infra = path.join(root, '.infra')): Proc[] {
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
  for (const file of [...pidFiles(path.join(infra, 'run'), 0), ...pidFiles(infra, 3)]) add(file, infra, 'infra');
  return procs;
}

/**
 * Samples processes at named marks (CPU over each window between consecutive marks) and polls
 * their RSS in between for the peak.
 */
export class ProcMonitor {
  readonly #procs: Proc[] = [];
  readonly #marks: { label: string; samples: Map<number, Sample | null>; machine: ReturnType<typeof machineSample> }[] = [];
  readonly #peakKb = new Map<number, number>();

  add(proc: Proc): void {
    this.#procs.push(proc);
  }

  mark(label: string): void {
    const samples = new Map(this.#procs.map((p) => [p.pid, sample(p.pid)] as const));
    this.#marks.push({ label, samples, machine: machineSample() });
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
      const sysPct: Record<string, number | null> = {};
      const rssMb: Record<string, number | null> = {};
      this.#marks.forEach((mark, i) => {
        const s = mark.samples.get(proc.pid);
        rssMb[mark.label] = s ? round(s.rssKb / 1024, 1) : null;
        const prev = i > 0 ? this.#marks[i - 1]! : undefined;
        const p = prev?.samples.get(proc.pid);
        if (!prev) return;
        const window = `${prev.label}->${mark.label}`;
        cpuPct[window] = p && s ? cpuBetween(p.atMs, p.ticks, s.atMs, s.ticks) : null;
        sysPct[window] = p && s ? cpuBetween(p.atMs, p.sysTicks, s.atMs, s.sysTicks) : null;
      });
      const peak = this.#peakKb.get(proc.pid);
      return { ...proc, cpuPct, sysPct, rssMb, peakRssMb: peak === undefined ? null : round(peak / 1024, 1) };
    });
  }

  /**
   * CPU of the whole machine per window, in % of one core (so up to 100 x cores): what our
   * processes used plus everything else running, which on a shared machine is not nothing.
   */
  machineCpu(): Record<string, number | null> {
    const out: Record<string, number | null> = {};
    for (let i = 1; i < this.#marks.length; i++) {
      const a = this.#marks[i - 1]!;
      const b = this.#marks[i]!;
      const wallSec = a.machine && b.machine ? (b.machine.atMs - a.machine.atMs) / 1000 : 0;
      out[`${a.label}->${b.label}`] = a.machine && b.machine && wallSec > 0 ? cpuBetween(a.machine.atMs, a.machine.busy, b.machine.atMs, b.machine.busy) : null;
    }
    return out;
  }

  #notePeaks(samples: Map<number, Sample | null>): void {
    for (const [pid, s] of samples) if (s) this.#peakKb.set(pid, Math.max(this.#peakKb.get(pid) ?? 0, s.rssKb));
  }
}

function cpuBetween(fromMs: number, fromTicks: number, toMs: number, toTicks: number): number {
  const wallSec = (toMs - fromMs) / 1000;
  return wallSec > 0 ? round(((toTicks - fromTicks) / CLK_TCK / wallSec) * 100, 1) : 0;
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
