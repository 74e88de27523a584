/**
 * A forked client process of the fan-out bench. It opens its share of the connections, reports
 * counters to the driver every second, and on 'stop' closes everything and sends its latency
 * histogram. Run only by bench/fanout.ts (the plan comes as JSON in argv[2]).
 */
import { encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { BenchConn, noteError, type ConnSpec, type Sink } from './conn.ts';
import { LatencyRecorder } from './latency.ts';
import type { ClientPlan, ToClient, ToDriver } from './ipc.ts';
import { placement, roomName } from './plan.ts';

const REPORT_MS = 1000;
const CLOSE_GRACE_MS = 3000;

function send(message: ToDriver): void {
  process.send?.(message);
}

/** Opens the plan's connections with at most `connectConcurrency` attempts in flight; notes where each held one went. */
async function connectAll(plan: ClientPlan, sink: Sink, conns: BenchConn[], perRoom: number[], perComet: number[]): Promise<void> {
  let next = 0;
  const attempt = async (): Promise<void> => {
    while (next < plan.count) {
      const where = placement(plan, plan.first + next++);
      const spec: ConnSpec = { comet: plan.comets[where.comet]!, transport: where.transport, room: roomName(where.room), timeoutMs: plan.connectTimeoutMs };
      const conn = new BenchConn(spec, sink);
      try {
        await conn.ready;
        conns.push(conn);
        perRoom[where.room]!++;
        perComet[where.comet]!++;
      } catch (error) {
        sink.counts.failed++;
        noteError(sink, `connect ${where.transport}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(plan.connectConcurrency, plan.count) }, attempt));
}

/**
 * Heartbeats every connection once per `heartbeatSec`, spread over the period one slice per second,
 * so 9,000 connections never send their heartbeats in one burst.
 */
function startHeartbeats(plan: ClientPlan, conns: BenchConn[]): NodeJS.Timeout {
  let tick = 0;
  return setInterval(() => {
    const slot = tick++ % plan.heartbeatSec;
    for (let i = slot; i < conns.length; i += plan.heartbeatSec) conns[i]!.heartbeat();
  }, 1000);
}

async function closeAll(conns: BenchConn[]): Promise<void> {
  const all = Promise.all(conns.map((c) => c.close()));
  const timer = setTimeout(() => conns.forEach((c) => c.destroy()), CLOSE_GRACE_MS);
  await all;
  clearTimeout(timer);
}

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2] ?? '') as ClientPlan;
  const sink: Sink = {
    runTag: plan.runTag,
    operation: plan.operation,
    latency: new LatencyRecorder(),
    counts: { held: 0, failed: 0, lost: 0, delivered: 0, batches: 0, foreign: 0 },
    errors: new Map(),
    lastRecvMs: 0,
  };
  // The driver is our only reason to live: if it goes away, so do we (and our sockets with us).
  process.on('disconnect', () => process.exit(1));

  const conns: BenchConn[] = [];
  const membersPerRoom = new Array<number>(plan.rooms).fill(0);
  const membersPerComet = new Array<number>(plan.comets.length).fill(0);
  const reporter = setInterval(() => send({ type: 'progress', id: plan.id, counts: { ...sink.counts } }), REPORT_MS);
  await connectAll(plan, sink, conns, membersPerRoom, membersPerComet);
  send({ type: 'ready', id: plan.id, counts: { ...sink.counts }, membersPerRoom, membersPerComet, errors: Object.fromEntries(sink.errors) });
  const heartbeats = startHeartbeats(plan, conns);

  process.on('message', (message: ToClient) => {
    if (message.type !== 'stop') return;
    clearInterval(heartbeats);
    clearInterval(reporter);
    void closeAll(conns).then(() => {
      const histogram = encodeIntoCompressedBase64(sink.latency.toHistogram());
      const final: ToDriver = { type: 'final', id: plan.id, counts: { ...sink.counts }, histogram, errors: Object.fromEntries(sink.errors), lastRecvMs: sink.lastRecvMs };
      process.send?.(final, () => process.exit(0));
    });
  });
}

void main();
