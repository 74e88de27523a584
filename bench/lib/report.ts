import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Histogram } from 'hdr-histogram-js';
import type { CometCounters } from './cometstats.ts';
import type { ProcReport } from './procstat.ts';
import { round } from './procstat.ts';
import type { StageFigures } from './stages.ts';

/** Latency percentiles in milliseconds, from a histogram recorded in microseconds. */
export interface LatencyMs {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface TimelinePoint {
  t: number;
  held: number;
  sent: number;
  acked: number;
  delivered: number;
  deliveriesPerSec: number;
}

/** The machine a run measured, with its load when the run started. */
export interface Machine {
  cpus: number;
  cpuModel: string;
  memGb: number;
  kernel: string;
  node: string;
  loadAvgAtStart: number[];
}

/** Everything a run measured; written as JSON and summarised on the console. */
export interface FanoutResult {
  startedAt: string;
  machine: Machine;
  options: Record<string, unknown>;
  connections: { planned: number; held: number; failed: number; lostDuringRun: number; connectSec: number; perSec: number; perRoom: number[]; perComet: number[] };
  pushes: { planned: number; sent: number; accepted: number; failed: number; maxBacklog: number; pushSec: number; sentPerSec: number; ackLatencyMs: LatencyMs | null };
  deliveries: {
    expected: number;
    counted: number;
    ratio: number;
    foreign: number;
    batches: number;
    perBatch: number;
    /** counted / (last delivery - first push), seconds measured on the clients' and driver's clocks. */
    perSec: number;
    /** Seconds from the first push to the last delivery. */
    spanSec: number;
    peakPerSec: number;
    drainSec: number;
  };
  latencyMs: LatencyMs | null;
  /** The merged client histogram (microseconds), HdrHistogram compressed base64. */
  latencyHistogram: string | null;
  processes: ProcReport[];
  /** CPU of the whole machine per window (% of one core): ours plus whatever else ran meanwhile. */
  machineCpuPct: Record<string, number | null>;
  /** Each comet's own counters over the push window (connections: at its end); null if unreadable. */
  comets: Record<string, CometCounters | null>;
  /** Age of the room pushes at each stage of the cluster over the push window, from its /metrics (summed over processes). */
  stages: StageFigures[];
  /** Resident memory the comets gained while the connections were opened, per connection held there. */
  cometKbPerConn: Record<string, number | null>;
  /** Comet CPU over the push window (push + drain) per delivery and per frame written. */
  efficiency: {
    windowSec: number;
    cometCpuSec: number;
    deliveriesPerCometCpuSec: number | null;
    cometUserUsPerFrame: number | null;
    cometSysUsPerFrame: number | null;
  };
  errors: { clients: Record<string, number>; pushes: Record<string, number> };
  timeline: TimelinePoint[];
}

export function latencyOf(h: Histogram | null): LatencyMs | null {
  if (!h || h.totalCount === 0) return null;
  const ms = (us: number) => round(us / 1000, 2);
  return {
    count: h.totalCount,
    mean: ms(h.mean),
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
  };
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? '?',
    memGb: round(os.totalmem() / 2 ** 30, 1),
    kernel: os.release(),
    node: process.version,
    loadAvgAtStart: os.loadavg().map((n) => round(n, 2)),
  };
}

/** Writes the result as <dir>/<scenario>-<ISO timestamp>.json (colons made file-name safe). */
export function writeResult(dir: string, scenario: string, result: { startedAt: string }): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${scenario}-${result.startedAt.replace(/:/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export const n = (x: number) => x.toLocaleString('en-US');
const pad = (s: string, w: number) => s.padEnd(w);
const num = (x: number | null | undefined) => (x === null || x === undefined ? '-' : String(x));

export function latencyLine(l: LatencyMs | null): string {
  if (!l) return 'none recorded';
  return `p50 ${l.p50} ms  p90 ${l.p90} ms  p99 ${l.p99} ms  p99.9 ${l.p999} ms  max ${l.max} ms  (mean ${l.mean} ms, n=${n(l.count)})`;
}

function processTable(procs: ProcReport[]): string[] {
  // With --idle there is a window between connecting and pushing: its CPU gets a column.
  const idle = procs.some((p) => 'connected->idle' in p.cpuPct);
  const header = `  ${pad('process', 14)}${pad('pid', 9)}${pad('command', 10)}${pad('cpu% conn', 11)}${idle ? pad('cpu% idle', 11) : ''}${pad('cpu% push', 11)}${pad('(sys)', 8)}${pad('rss start', 11)}${pad('rss conn', 10)}${pad('rss end', 9)}peak MB`;
  const rows = procs.map((p) => {
    const cpu = Object.values(p.cpuPct);
    const sys = Object.values(p.sysPct);
    const rss = Object.values(p.rssMb);
    const idleCol = idle ? pad(num(p.cpuPct['connected->idle']), 11) : '';
    return `  ${pad(p.name, 14)}${pad(String(p.pid), 9)}${pad(p.command.slice(0, 9), 10)}${pad(num(cpu[0]), 11)}${idleCol}${pad(num(cpu.at(-1)), 11)}${pad(num(sys.at(-1)), 8)}${pad(num(rss[0]), 11)}${pad(num(rss[1]), 10)}${pad(num(rss.at(-1)), 9)}${num(p.peakRssMb)}`;
  });
  return [header, ...rows];
}

function errorLines(title: string, errors: Record<string, number>): string[] {
  const entries = Object.entries(errors).sort((a, b) => b[1] - a[1]);
  return entries.length ? [`${title}:`, ...entries.slice(0, 10).map(([k, v]) => `  ${n(v)} x ${k}`)] : [];
}

function cometLines(comets: Record<string, CometCounters | null>): string[] {
  return Object.entries(comets).map(([id, c]) =>
    c
      ? `comet says   ${id}: ${n(c.connections)} conns, ${n(c.roomBatches)} room batches with ${n(c.roomMessages)} msgs received, ${n(c.framesDropped)} frames dropped, ${n(c.slowDisconnects)} slow disconnects`
      : `comet says   ${id}: (no answer to Stats)`,
  );
}

export function printSummary(r: FanoutResult, file: string): void {
  const c = r.connections;
  const p = r.pushes;
  const d = r.deliveries;
  const cpuTotal = (role: string) => round(r.processes.filter((x) => x.role === role).reduce((s, x) => s + (Object.values(x.cpuPct).at(-1) ?? 0), 0), 1);
  const ours = round(['cluster', 'infra', 'client', 'driver'].reduce((s, role) => s + cpuTotal(role), 0), 1);
  const machineCpu = Object.values(r.machineCpuPct).at(-1) ?? null;
  const lines = [
    '',
    `== fan-out result (${r.startedAt}, ${r.machine.cpus} cpus, ${r.machine.memGb} GB) ==`,
    `connections  held ${n(c.held)} of ${n(c.planned)} (failed ${n(c.failed)}, lost during run ${n(c.lostDuringRun)}); opened in ${c.connectSec} s = ${n(c.perSec)}/s; per comet ${c.perComet.join(' / ')}`,
    `pushes       sent ${n(p.sent)} of ${n(p.planned)} in ${p.pushSec} s (${p.sentPerSec}/s), accepted ${n(p.accepted)}, failed ${n(p.failed)}, max backlog ${p.maxBacklog}`,
    `push API     ack ${latencyLine(p.ackLatencyMs)}`,
    `deliveries   expected ${n(d.expected)}, counted ${n(d.counted)} (${round(d.ratio * 100, 3)}%), foreign ${n(d.foreign)}; ${n(d.batches)} frames, ${d.perBatch} msgs/frame`,
    `rate         ${n(d.perSec)} deliveries/s (counted / ${d.spanSec} s from first push to last delivery); busiest 1-s report ${n(d.peakPerSec)}/s; drain took ${d.drainSec} s`,
    `latency      ${latencyLine(r.latencyMs)}`,
    ...cometLines(r.comets),
    ...r.stages.map((s) => `stage        ${pad(s.stage, 38)} p50 ${s.p50Ms} ms  p99 ${s.p99Ms} ms  mean ${s.meanMs} ms  (n=${n(s.count)})`),
    `comet cpu    ${num(r.efficiency.cometCpuSec)} CPU-s over ${r.efficiency.windowSec} s: ${n(r.efficiency.deliveriesPerCometCpuSec ?? 0)} deliveries per comet CPU-s; per frame written ${num(r.efficiency.cometUserUsPerFrame)} us user + ${num(r.efficiency.cometSysUsPerFrame)} us kernel`,
    `memory       comet RSS gained per connection: ${Object.entries(r.cometKbPerConn).map(([k, v]) => `${k} ${num(v)} KB`).join(', ')}`,
    `cpu (push)   cluster ${cpuTotal('cluster')}%, infra ${cpuTotal('infra')}%, clients ${cpuTotal('client')}%, driver ${cpuTotal('driver')}% = ${ours}%; whole machine ${num(machineCpu)}% of ${r.machine.cpus * 100}% (100% = one core)`,
    'processes (cpu% of one core: conn = connect phase, push = push + drain, (sys) = kernel part of push; rss MB at start, after connecting, at end; peak)',
    ...processTable(r.processes),
    ...errorLines('client errors', r.errors.clients),
    ...errorLines('push errors', r.errors.pushes),
    `result: ${file}`,
  ];
  console.log(lines.join('\n'));
}
