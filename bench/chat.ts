/**
 * Chat scenario: one-to-one pairs, then one group, every user on one WebSocket device. Senders
 * offer a fixed rate (or keep their window full), receivers acknowledge like clients; the run
 * reports acknowledged messages/s, ack and delivery latency, wire duplicates, reorders, refusals,
 * timeouts and each process's CPU per message. See bench/README.md ("chat").
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHAT_USAGE, parseChatOptions, type ChatOptions } from './lib/chat_args.ts';
import type { ChatConn } from './lib/chat_conn.ts';
import { drain, send, PhaseStats, type Pacing, type PhasePlan } from './lib/chat_phase.ts';
import { phaseCpu, printChatSummary, type ChatResult, type PhaseResult } from './lib/chat_report.ts';
import { connectAll, createGroup, groupPlan, pairsPlan, registerUsers } from './lib/chat_setup.ts';
import { CometProbe, counterDelta } from './lib/cometstats.ts';
import { findProcesses, ProcMonitor, round } from './lib/procstat.ts';
import { machine, n, writeResult } from './lib/report.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function plans(opts: ChatOptions, run: string): Promise<{ plans: PhasePlan[]; conns: ChatConn[] }> {
  log(`registering ${opts.pairs * 2 + opts.group} users...`);
  const out: PhasePlan[] = [];
  const conns: ChatConn[] = [];
  if (opts.pairs > 0) {
    const users = await registerUsers(opts.http, run, 'p', opts.pairs * 2);
    const pairConns = await connectAll(users, opts.ws);
    conns.push(...pairConns);
    out.push(pairsPlan(users, pairConns));
  }
  if (opts.group > 0) {
    const users = await registerUsers(opts.http, run, 'g', opts.group);
    const group = await createGroup(opts.http, run, users);
    const groupConns = await connectAll(users, opts.ws);
    conns.push(...groupConns);
    out.push(groupPlan(users, groupConns, group));
  }
  log(`connected ${conns.length} devices over ${opts.ws.length} comet(s)`);
  return { plans: out, conns };
}

/** Sends for `seconds` into fresh counters, then drains; the receivers count into them meanwhile. */
async function window(plan: PhasePlan, tag: string, pacing: Pacing, seconds: number, drainLimitSec: number, monitor?: ProcMonitor) {
  const stats = new PhaseStats(tag, plan);
  for (const r of plan.receivers) r.onMessage = (m) => stats.received(m);
  const started = performance.now();
  const progress = () => {
    const secs = (performance.now() - started) / 1000;
    log(`  [${tag} ${secs.toFixed(0)}s] sent ${n(stats.sent)} acked ${n(stats.acked)} (${Math.round(stats.acked / secs)}/s) timed out ${n(stats.timedOut)} in flight ${stats.outstanding} deliveries ${n(stats.unique)}/${n(stats.expected)}`);
  };
  monitor?.mark(`${plan.name}:start`);
  const sendSec = await send(plan, stats, pacing, seconds, progress);
  monitor?.mark(`${plan.name}:sent`);
  const drainSec = await drain(plan, stats, pacing, drainLimitSec);
  monitor?.mark(`${plan.name}:end`);
  return { stats, sendSec, drainSec };
}

async function runPhase(opts: ChatOptions, plan: PhasePlan, run: string, monitor: ProcMonitor, probe: CometProbe) {
  const pacing: Pacing = { rate: opts.rate, inflight: opts.inflight, timeoutMs: opts.timeoutSec * 1000 };
  const lateBefore = plan.senders.reduce((sum, s) => sum + s.conn.lateReplies, 0);
  if (opts.warmupSec > 0) {
    log(`${plan.name}: warming up for ${opts.warmupSec} s`);
    await window(plan, `${run}w${plan.name[0]}`, pacing, opts.warmupSec, opts.timeoutSec);
  }
  log(`${plan.name}: measuring for ${opts.seconds} s`);
  const loadAvgAtStart = os.loadavg().map((x) => round(x, 2));
  const cometsBefore = await probe.snapshot();
  const { stats, sendSec, drainSec } = await window(plan, `${run}${plan.name[0]}`, pacing, opts.seconds, opts.drainSec, monitor);
  const comets = counterDelta(cometsBefore, await probe.snapshot());
  const counts = stats.counts();
  return {
    phase: plan.name,
    senders: plan.senders.length,
    receivers: plan.receivers.length,
    devicesPerMessage: plan.devicesPerMessage,
    offeredPerSec: opts.rate === 0 ? ('closed loop' as const) : opts.rate,
    inflight: opts.inflight,
    sendSec: round(sendSec, 2),
    drainSec: round(drainSec, 2),
    ...counts,
    sentPerSec: Math.round(counts.sent / sendSec),
    ackedPerSec: Math.round(counts.acked / sendSec),
    deliveriesPerSec: Math.round(counts.deliveries.unique / sendSec),
    lateReplies: plan.senders.reduce((sum, s) => sum + s.conn.lateReplies, 0) - lateBefore,
    devicesLost: countBy(plan.receivers.map((r) => r.lost)),
    loadAvgAtStart,
    comets,
  };
}

function countBy(values: (string | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) if (v !== undefined) out[v] = (out[v] ?? 0) + 1;
  return out;
}

async function main(): Promise<void> {
  const parsed = parseChatOptions(process.argv.slice(2));
  if (parsed === 'help') return console.log(CHAT_USAGE);
  const opts = parsed;
  const startedAt = new Date().toISOString();
  const host = machine();
  const run = randomBytes(3).toString('hex');
  log(`bench:chat run ${run}: pairs ${opts.pairs}, group ${opts.group}, rate ${opts.rate || 'closed loop'}, ${opts.inflight} in flight, ${opts.seconds} s per phase`);

  const monitor = new ProcMonitor();
  for (const proc of findProcesses(ROOT, opts.infra && path.resolve(opts.infra))) monitor.add(proc);
  monitor.add({ name: 'bench', pid: process.pid, role: 'client', command: 'node' });
  const probe = await CometProbe.open(opts.http);
  const { plans: phases, conns } = await plans(opts, run);
  const acker = setInterval(() => conns.forEach((c) => c.ackHeld()), opts.ackEveryMs);

  const measured: Omit<PhaseResult, 'cpu'>[] = [];
  for (const plan of phases) measured.push(await runPhase(opts, plan, run, monitor, probe));
  clearInterval(acker);
  probe.close();
  for (const c of conns) c.close();

  const procs = monitor.report();
  const machineCpu = monitor.machineCpu();
  const results = measured.map((p) => ({ ...p, cpu: phaseCpu(procs, `${p.phase}:start->${p.phase}:sent`, machineCpu, p.ackedPerSec) }));
  const result: ChatResult = { startedAt, machine: host, options: { ...opts, http: opts.http.href, ws: opts.ws.map((u) => u.href) }, phases: results };
  const file = writeResult(path.resolve(ROOT, opts.out), 'chat', result);
  printChatSummary(result, path.relative(process.cwd(), file));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`chat bench failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
