// pnpm bench:chat -- [--pairs 50] [--group 50] [--rate 200] [--seconds 20] [--http URL] [--ws ws://h:p/sub,...]
// Runs against a running local cluster (pnpm infra:up && pnpm cluster:up) or a standalone node.
// Phase 1: one-to-one traffic between pairs; phase 2: one group. Senders are open-loop at --rate
// messages/s in total (at most 200 unacknowledged per connection). Reports acknowledged messages
// per second, ack latency (send -> op 5, "durably stored") and delivery latency (send -> op 20 at
// each receiver), and writes bench/results/chat-<time>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ChatConn } from './lib/chat_conn.ts';

const args = new Map<string, string>();
const argv = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')); // pnpm passes the separator through
for (let i = 0; i < argv.length; i += 2) args.set(argv[i]!.replace(/^--/, ''), argv[i + 1] ?? '');
const opt = {
  pairs: Number(args.get('pairs') ?? 50),
  group: Number(args.get('group') ?? 50),
  rate: Number(args.get('rate') ?? 200),
  seconds: Number(args.get('seconds') ?? 20),
  http: args.get('http') ?? 'http://127.0.0.1:3111',
  ws: (args.get('ws') ?? 'ws://127.0.0.1:3102/sub,ws://127.0.0.1:3202/sub').split(','),
};
const MAX_IN_FLIGHT = 200;
const run = randomBytes(3).toString('hex');

interface User { id: number; token: string }

async function api(path: string, body: object, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${opt.http}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

async function users(n: number, tag: string): Promise<User[]> {
  const out: User[] = [];
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, j) => api('/api/v1/users', { name: `b${run}${tag}${i + j}`, password: 'bench-password' })));
    out.push(...batch.map((u) => ({ id: Number(u.id), token: String(u.token) })));
  }
  return out;
}

function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { count: sorted.length, p50: round(at(0.5)), p99: round(at(0.99)), p999: round(at(0.999)), max: round(sorted.at(-1) ?? 0) };
}

interface Phase { name: string; senders: { conn: ChatConn; to: { type: 'user' | 'group'; id: number } }[]; receivers: ChatConn[] }

async function runPhase(phase: Phase) {
  const ackMs: number[] = [];
  const deliveryMs: number[] = [];
  let ok = 0;
  let failed = 0;
  let sent = 0;
  let skipped = 0;
  const highest = new Map<ChatConn, Map<string, number>>();
  for (const r of phase.receivers) {
    highest.set(r, new Map());
    r.onMessage = (m) => {
      deliveryMs.push(performance.timeOrigin + performance.now() - Number(m.payload));
      const convs = highest.get(r)!;
      convs.set(String(m.conv), Math.max(convs.get(String(m.conv)) ?? 0, Number(m.seq)));
    };
  }
  for (const { conn } of phase.senders) conn.onAck = (ms, good) => (good ? (ok++, ackMs.push(ms)) : failed++);
  const acker = setInterval(() => {
    for (const [r, convs] of highest) for (const [conv, seq] of convs) r.ack(conv, seq);
  }, 500);
  const started = performance.now();
  const perTick = opt.rate / 100;
  let budget = 0;
  let next = 0;
  const ticker = setInterval(() => {
    budget += perTick;
    for (; budget >= 1; budget--) {
      const s = phase.senders[next++ % phase.senders.length]!;
      if (s.conn.inFlight >= MAX_IN_FLIGHT) {
        skipped++;
        continue;
      }
      s.conn.send(s.to, `${run}-${sent++}`);
    }
  }, 10);
  const progress = setInterval(() => {
    const secs = (performance.now() - started) / 1000;
    process.stderr.write(`  ${phase.name} ${secs.toFixed(0)}s sent ${sent} acked ${ok} (${(ok / secs).toFixed(0)}/s) deliveries ${deliveryMs.length}\n`);
  }, 2000);
  await new Promise((resolve) => setTimeout(resolve, opt.seconds * 1000));
  clearInterval(ticker);
  const sendSecs = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 3000)); // drain
  clearInterval(progress);
  clearInterval(acker);
  return { phase: phase.name, sent, acked: ok, failed, skippedForInFlightCap: skipped, ackedPerSec: Math.round(ok / sendSecs), deliveries: deliveryMs.length, deliveriesPerSec: Math.round(deliveryMs.length / sendSecs), ackLatencyMs: percentiles(ackMs), deliveryLatencyMs: percentiles(deliveryMs) };
}

async function main(): Promise<void> {
  process.stderr.write(`bench:chat ${JSON.stringify(opt)}\nregistering ${opt.pairs * 2 + opt.group} users...\n`);
  const pairUsers = await users(opt.pairs * 2, 'p');
  const groupUsers = await users(opt.group, 'g');
  const owner = groupUsers[0]!;
  const group = Number((await api('/api/v1/groups', { name: `bench-${run}` }, owner.token)).id);
  for (const member of groupUsers.slice(1)) await api(`/api/v1/groups/${group}/members`, { user: member.id }, owner.token);
  const connect = (u: User, i: number) => ChatConn.open(opt.ws[i % opt.ws.length]!, u.token);
  const pairConns = await Promise.all(pairUsers.map(connect));
  const groupConns = await Promise.all(groupUsers.map(connect));
  process.stderr.write(`connected ${pairConns.length + groupConns.length} clients over ${opt.ws.length} comet(s)\n`);

  const direct: Phase = {
    name: 'one-to-one',
    senders: pairConns.map((conn, i) => ({ conn, to: { type: 'user' as const, id: pairUsers[i % 2 ? i - 1 : i + 1]!.id } })),
    receivers: pairConns,
  };
  const grouped: Phase = { name: 'group', senders: groupConns.map((conn) => ({ conn, to: { type: 'group' as const, id: group } })), receivers: groupConns };
  const results = [await runPhase(direct), await runPhase(grouped)];
  for (const c of [...pairConns, ...groupConns]) c.close();

  const report = { startedAt: new Date().toISOString(), options: opt, results };
  console.log(JSON.stringify(report, null, 2));
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL(`./results/chat-${report.startedAt.replace(/[:.]/g, '-')}.json`, import.meta.url), JSON.stringify(report, null, 2));
}

await main();
