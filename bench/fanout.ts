/**
 * Fan-out scenario: N anonymous viewers spread over the comets and R live rooms, room pushes
 * through logic's HTTP API at M/s for S seconds, every delivery counted and timed at the clients.
 * See bench/README.md for the options and how to read the output.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { parseOptions, USAGE, type FanoutOptions } from './lib/args.ts';
import { CometProbe, counterDelta } from './lib/cometstats.ts';
import { fanoutChart } from './lib/charts.ts';
import { Fleet } from './lib/fleet.ts';
import { newRunTag } from './lib/payload.ts';
import { splitPlans } from './lib/plan.ts';
import { envOf, findProcesses, ProcMonitor, round, type ProcReport } from './lib/procstat.ts';
import { Pusher } from './lib/pusher.ts';
import { metricsUrls, snapshot, stageDelta } from './lib/stages.ts';
import { latencyOf, machine, printSummary, writeResult, type FanoutResult, type TimelinePoint } from './lib/report.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Fails early and clearly when logic is not there, instead of after opening thousands of sockets. */
async function checkLogic(opts: FanoutOptions): Promise<void> {
  const url = new URL('/goim/online/total', opts.http);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as { data?: { conn_count?: number; comet_count?: number } };
    log(`logic at ${opts.http.origin}: ${body.data?.comet_count ?? '?'} comets, ${body.data?.conn_count ?? '?'} connections already online`);
  } catch (error) {
    throw new Error(`logic is not answering at ${url} (${(error as Error).message}); start it with: pnpm infra:up && pnpm cluster:up`);
  }
}

function startFleet(opts: FanoutOptions, runTag: number): Fleet {
  const base = {
    totalConns: opts.conns,
    rooms: opts.rooms,
    transport: opts.transport,
    comets: opts.comets,
    connectConcurrency: Math.max(1, Math.ceil(opts.connectConcurrency / opts.clients)),
    connectTimeoutMs: opts.connectTimeoutSec * 1000,
    heartbeatSec: opts.heartbeatSec,
    operation: opts.operation,
    runTag,
  };
  return new Fleet(splitPlans(base, opts.clients));
}

/** The connect phase: bounded by the per-connection timeout times the number of waves, plus start-up. */
async function connect(opts: FanoutOptions, fleet: Fleet, monitor: ProcMonitor): Promise<number> {
  const started = performance.now();
  const waves = Math.ceil(opts.conns / opts.connectConcurrency);
  await fleet.whenReady(() => {
    monitor.poll();
    const c = fleet.counts();
    const secs = Math.round((performance.now() - started) / 1000);
    log(`[connect ${secs}s] held ${c.held} failed ${c.failed} of ${opts.conns} (${fleet.readyCount}/${opts.clients} processes done)`);
  }, (waves * opts.connectTimeoutSec + 60) * 1000);
  return (performance.now() - started) / 1000;
}

function progressLine(phase: string, p: TimelinePoint, pusher: Pusher, expected: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `[${phase} ${p.t}s] conns ${n(p.held)} | pushes sent ${n(p.sent)} acked ${n(p.acked)} failed ${n(pusher.failed)} in flight ${pusher.inFlight} | deliveries ${n(p.deliveriesPerSec)}/s, ${n(p.delivered)} of ${n(expected)} expected`;
}

/** Holds the connections without pushing (heartbeats only), for the idle CPU and memory of the comets. */
async function holdIdle(opts: FanoutOptions, fleet: Fleet, monitor: ProcMonitor): Promise<void> {
  for (let t = 1; t <= opts.idleSec; t++) {
    await delay(1000);
    monitor.poll();
    if (t % 10 === 0 || t === opts.idleSec) log(`[idle ${t}s] conns ${fleet.counts().held.toLocaleString('en-US')} held, lost ${fleet.counts().lost}`);
  }
  monitor.mark('idle');
}

/** Pushes for S seconds, then waits up to the drain time for the expected deliveries. */
async function pushAndDrain(opts: FanoutOptions, fleet: Fleet, pusher: Pusher, monitor: ProcMonitor, perRoom: number[]) {
  const timeline: TimelinePoint[] = [];
  const started = performance.now();
  let last = fleet.counts().delivered;
  let pushDone = false;
  const expected = () => pusher.acceptedPerRoom.reduce((sum, pushes, room) => sum + pushes * perRoom[room]!, 0);
  const ticker = setInterval(() => {
    monitor.poll();
    const c = fleet.counts();
    const point = { t: Math.round((performance.now() - started) / 1000), held: c.held, sent: pusher.sent, acked: pusher.acked, delivered: c.delivered, deliveriesPerSec: c.delivered - last };
    last = c.delivered;
    timeline.push(point);
    log(progressLine(pushDone ? 'drain' : 'push', point, pusher, expected()));
  }, 1000);
  await pusher.run();
  pushDone = true;
  const drainStart = performance.now();
  while (fleet.counts().delivered < expected() && performance.now() - drainStart < opts.drainSec * 1000) await delay(100);
  const drainSec = round((performance.now() - drainStart) / 1000, 1);
  clearInterval(ticker);
  return { timeline, drainSec, expected: expected() };
}

async function main(): Promise<void> {
  const parsed = parseOptions(process.argv.slice(2));
  if (parsed === 'help') return log(USAGE);
  const opts = parsed;
  const startedAt = new Date().toISOString();
  log(`fan-out: ${opts.conns} conns (${opts.transport}) over ${opts.comets.length} comets and ${opts.rooms} rooms, ${opts.rate} pushes/s for ${opts.seconds} s, ${opts.clients} client processes`);
  await checkLogic(opts);
  const host = machine();

  const monitor = new ProcMonitor();
  for (const proc of findProcesses(ROOT)) monitor.add(proc);
  monitor.add({ name: 'driver', pid: process.pid, role: 'driver', command: 'node' });
  const runTag = newRunTag();
  const fleet = startFleet(opts, runTag);
  fleet.pids.forEach((pid, i) => monitor.add({ name: `client-${i}`, pid, role: 'client', command: 'node' }));
  monitor.mark('start');

  const connectSec = await connect(opts, fleet, monitor);
  const { perRoom, perComet } = fleet.members(opts.rooms, opts.comets.length);
  const afterConnect = fleet.counts();
  log(`connected: ${afterConnect.held} held, ${afterConnect.failed} failed in ${round(connectSec, 1)} s; pushing`);
  monitor.mark('connected');
  if (opts.idleSec > 0) await holdIdle(opts, fleet, monitor);
  const windowStart = performance.now();
  const probe = await CometProbe.open(opts.http);
  const cometsBefore = await probe.snapshot();
  const stageUrls = metricsUrls(findProcesses(ROOT));
  const stagesBefore = await snapshot(stageUrls);

  const pusher = new Pusher({ ...opts, concurrency: opts.pushConcurrency, runTag });
  const run = await pushAndDrain(opts, fleet, pusher, monitor, perRoom);
  monitor.mark('end');
  const windowSec = (performance.now() - windowStart) / 1000;
  const comets = counterDelta(cometsBefore, await probe.snapshot());
  const stages = stageDelta(stagesBefore, await snapshot(stageUrls));
  probe.close();
  const final = await fleet.stop();

  const result = buildResult({ opts, startedAt, host, connectSec, perRoom, perComet, failed: afterConnect.failed, pusher, run, final, monitor, comets, stages, windowSec });
  if (final.missing) log(`warning: ${final.missing} client process(es) sent no final report; their deliveries are from the last progress report and their latencies are missing`);
  const file = writeResult(path.resolve(ROOT, opts.out), 'fanout', result);
  const chart = file.replace(/\.json$/, '.svg');
  writeFileSync(chart, fanoutChart(caption(opts, result), run.timeline, final.histogram));
  printSummary(result, path.relative(process.cwd(), file));
  log(`chart: ${path.relative(process.cwd(), chart)}`);
}

interface RunData {
  opts: FanoutOptions;
  startedAt: string;
  host: FanoutResult['machine'];
  connectSec: number;
  perRoom: number[];
  perComet: number[];
  failed: number;
  pusher: Pusher;
  run: Awaited<ReturnType<typeof pushAndDrain>>;
  final: Awaited<ReturnType<Fleet['stop']>>;
  monitor: ProcMonitor;
  comets: FanoutResult['comets'];
  stages: FanoutResult['stages'];
  /** Wall time between the 'connected' and 'end' marks (the CPU window of the push phase). */
  windowSec: number;
}

/** Everything measured, in the shape written to the JSON file. */
function buildResult({ opts, startedAt, host, connectSec, perRoom, perComet, failed, pusher, run, final, monitor, comets, stages, windowSec }: RunData): FanoutResult {
  const processes = monitor.report();
  const held = perComet.reduce((a, b) => a + b, 0);
  const counted = final.counts.delivered;
  const pushSec = round(pusher.elapsedSec, 2);
  const spanSec = final.lastRecvMs ? round((final.lastRecvMs - pusher.startedAtMs) / 1000, 2) : 0;
  return {
    startedAt,
    machine: host,
    options: { ...opts, http: opts.http.href, apiKey: '(set)' },
    connections: {
      planned: opts.conns,
      held,
      failed,
      lostDuringRun: final.counts.lost,
      connectSec: round(connectSec, 1),
      perSec: Math.round(held / connectSec),
      perRoom,
      perComet,
    },
    pushes: {
      planned: opts.rate * opts.seconds,
      sent: pusher.sent,
      accepted: pusher.acked,
      failed: pusher.failed,
      maxBacklog: pusher.maxBacklog,
      pushSec,
      sentPerSec: round(pusher.sent / pushSec, 1),
      ackLatencyMs: latencyOf(pusher.ackLatency),
    },
    deliveries: {
      expected: run.expected,
      counted,
      ratio: run.expected ? counted / run.expected : 0,
      foreign: final.counts.foreign,
      batches: final.counts.batches,
      perBatch: final.counts.batches ? round(counted / final.counts.batches, 2) : 0,
      perSec: spanSec > 0 ? Math.round(counted / spanSec) : 0,
      spanSec,
      peakPerSec: Math.max(0, ...run.timeline.map((p) => p.deliveriesPerSec)),
      drainSec: run.drainSec,
    },
    latencyMs: latencyOf(final.histogram),
    latencyHistogram: final.histogram ? encodeIntoCompressedBase64(final.histogram) : null,
    processes,
    machineCpuPct: monitor.machineCpu(),
    comets,
    stages,
    cometKbPerConn: kbPerConn(processes, opts, perComet),
    efficiency: efficiency(processes, counted, final.counts.batches, windowSec),
    errors: { clients: final.errors, pushes: Object.fromEntries(pusher.errors) },
    timeline: run.timeline,
  };
}

/**
 * Comet CPU over the push window (push + drain) against what the clients counted: deliveries per
 * comet CPU-second, and CPU per frame written (one socket write), split into user and kernel.
 */
function efficiency(processes: ProcReport[], deliveries: number, frames: number, windowSec: number): FanoutResult['efficiency'] {
  const comets = processes.filter((p) => p.role === 'cluster' && p.name.startsWith('comet'));
  const sum = (pick: (p: ProcReport) => number | null | undefined) => comets.reduce((s, p) => s + (pick(p) ?? 0), 0);
  const last = (pct: Record<string, number | null>) => Object.values(pct).at(-1);
  const cpuSec = (sum((p) => last(p.cpuPct)) / 100) * windowSec;
  const sysSec = (sum((p) => last(p.sysPct)) / 100) * windowSec;
  return {
    windowSec: round(windowSec, 2),
    cometCpuSec: round(cpuSec, 2),
    deliveriesPerCometCpuSec: cpuSec > 0 ? Math.round(deliveries / cpuSec) : null,
    cometUserUsPerFrame: frames > 0 ? round(((cpuSec - sysSec) * 1e6) / frames, 2) : null,
    cometSysUsPerFrame: frames > 0 ? round((sysSec * 1e6) / frames, 2) : null,
  };
}

/**
 * Comet RSS growth over the connect phase divided by the connections the comet took on. A comet
 * process is matched to its --comets entry by the TCP port in its environment.
 */
function kbPerConn(processes: ProcReport[], opts: FanoutOptions, perComet: number[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const p of processes) {
    const port = Number(envOf(p.pid, 'IM_COMET_TCP_PORT'));
    const index = opts.comets.findIndex((c) => c.tcpPort === port);
    if (p.role !== 'cluster' || index < 0) continue;
    const before = p.rssMb.start;
    const after = p.rssMb.connected;
    const conns = perComet[index] ?? 0;
    out[p.name] = before != null && after != null && conns > 0 ? round(((after - before) * 1024) / conns, 1) : null;
  }
  return out;
}

/** The chart's caption: what ran, when, and how loaded the machine was. */
function caption(opts: FanoutOptions, r: FanoutResult): string {
  const load = r.machine.loadAvgAtStart[0];
  return `${opts.conns} conns, ${opts.rooms} rooms, ${opts.rate} pushes/s, ${opts.size} B; ${r.deliveries.counted.toLocaleString('en-US')} deliveries, ${r.deliveries.perBatch} msgs/frame; ${r.startedAt.slice(0, 16)} UTC, load ${load}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`fan-out bench failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
