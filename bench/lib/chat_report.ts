import type { PhaseCounts } from './chat_phase.ts';
import type { CometCounters } from './cometstats.ts';
import type { ProcReport } from './procstat.ts';
import { round } from './procstat.ts';
import { latencyLine, n, type Machine } from './report.ts';

/** CPU of one process over a phase's sending window, and per acknowledged message. */
export interface ProcessCpu {
  name: string;
  role: string;
  cpuPct: number | null;
  sysPct: number | null;
  /** CPU time per acknowledged message, µs. */
  usPerAck: number | null;
}

export interface PhaseResult extends PhaseCounts {
  phase: string;
  senders: number;
  receivers: number;
  devicesPerMessage: number;
  offeredPerSec: number | 'closed loop';
  inflight: number;
  sendSec: number;
  drainSec: number;
  sentPerSec: number;
  ackedPerSec: number;
  /** Unique deliveries counted per second of sending. */
  deliveriesPerSec: number;
  lateReplies: number;
  /** Devices whose socket closed during the phase, by reason. */
  devicesLost: Record<string, number>;
  loadAvgAtStart: number[];
  cpu: { machinePct: number | null; oursPct: number; byRole: Record<string, number>; processes: ProcessCpu[] };
  comets: Record<string, CometCounters | null>;
}

export interface ChatResult {
  startedAt: string;
  machine: Machine;
  options: Record<string, unknown>;
  phases: PhaseResult[];
}

/** The sending window's CPU per process, from the monitor's window `<phase>:start-><phase>:sent`. */
export function phaseCpu(procs: ProcReport[], window: string, machineCpu: Record<string, number | null>, ackedPerSec: number): PhaseResult['cpu'] {
  const processes = procs.map((p) => {
    const cpu = p.cpuPct[window] ?? null;
    // cpu% of one core = 10 ms of CPU per second; per message: 10,000 µs x pct / msgs per second.
    const usPerAck = cpu !== null && ackedPerSec > 0 ? round((cpu * 10_000) / ackedPerSec, 1) : null;
    return { name: p.name, role: p.role, cpuPct: cpu, sysPct: p.sysPct[window] ?? null, usPerAck };
  });
  const byRole: Record<string, number> = {};
  for (const p of processes) byRole[p.role] = round((byRole[p.role] ?? 0) + (p.cpuPct ?? 0), 1);
  const oursPct = round(Object.values(byRole).reduce((a, b) => a + b, 0), 1);
  return { machinePct: machineCpu[window] ?? null, oursPct, byRole, processes };
}

function countsText(refused: Record<string, number>): string {
  const entries = Object.entries(refused);
  return entries.length ? entries.map(([code, count]) => `${n(count)} x ${code}`).join(', ') : 'none';
}

function phaseLines(p: PhaseResult): string[] {
  const d = p.deliveries;
  const ratio = d.expected ? round((d.unique / d.expected) * 100, 2) : 0;
  const cpu = p.cpu.processes
    .filter((x) => (x.cpuPct ?? 0) >= 0.5)
    .sort((a, b) => (b.cpuPct ?? 0) - (a.cpuPct ?? 0))
    .map((x) => `${x.name} ${x.cpuPct}% (${x.usPerAck ?? '-'} µs/msg)`);
  return [
    '',
    `== ${p.phase}: ${p.senders} senders, ${p.receivers} devices, ${p.devicesPerMessage} devices per message; offered ${p.offeredPerSec === 'closed loop' ? 'closed loop' : `${n(p.offeredPerSec)}/s`}, ${p.inflight} in flight per connection ==`,
    `sends        ${n(p.sent)} in ${p.sendSec} s (${n(p.sentPerSec)}/s), skipped (window full) ${n(p.skippedWindowFull)}`,
    `acked        ${n(p.acked)} = ${n(p.ackedPerSec)}/s; refused ${countsText(p.refused)}; timed out ${n(p.timedOut)} (late replies ${n(p.lateReplies)})`,
    `ack          ${latencyLine(p.ackLatencyMs)}`,
    `deliveries   ${n(d.unique)} of ${n(d.expected)} expected (${ratio}%) = ${n(p.deliveriesPerSec)}/s; wire duplicates ${n(d.duplicates)}, reorders ${n(d.reorders)}, foreign ${n(d.foreign)}; refused or timed out yet delivered ${n(d.unackedButDelivered)}; drain ${p.drainSec} s`,
    `delivery     ${latencyLine(p.deliveryLatencyMs)}`,
    ...(Object.keys(p.devicesLost).length ? [`lost         devices: ${countsText(p.devicesLost)}`] : []),
    `order        seq inversions (a send acked with a lower seq than an earlier send of its connection) ${n(p.seqInversions)}`,
    `cpu (send)   machine ${p.cpu.machinePct ?? '-'}%, ours ${p.cpu.oursPct}% (${Object.entries(p.cpu.byRole).map(([role, pct]) => `${role} ${pct}%`).join(', ')}); load average at start ${p.loadAvgAtStart.join(' ')}`,
    `             ${cpu.join(', ')}`,
    ...Object.entries(p.comets).map(([id, c]) => (c ? `comet says   ${id}: ${n(c.keyPushes)} key pushes, ${n(c.framesDropped)} frames dropped, ${n(c.slowDisconnects)} slow disconnects` : `comet says   ${id}: (no answer to Stats)`)),
  ];
}

export function printChatSummary(r: ChatResult, file: string): void {
  const lines = [`== chat result (${r.startedAt}, ${r.machine.cpus} cpus, load average at start ${r.machine.loadAvgAtStart.join(' ')}) ==`, ...r.phases.flatMap(phaseLines), '', `result: ${file}`];
  console.log(lines.join('\n'));
}
