import { nowMs, type ChatConn, type PendingSend, type Received, type ReplySink, type SendReply, type Target } from './chat_conn.ts';
import { LatencyRecorder } from './latency.ts';
import { latencyOf, type LatencyMs } from './report.ts';

/** One phase's traffic: who sends where, who receives, and how many devices get each message. */
export interface PhasePlan {
  name: string;
  senders: { conn: ChatConn; user: number; to: Target }[];
  receivers: ChatConn[];
  devicesPerMessage: number;
}

export interface Pacing {
  /** Offered messages/s over all senders; 0 = closed loop. */
  rate: number;
  inflight: number;
  timeoutMs: number;
}

/** What one measured window counted (see bench/README.md, "chat"). */
export interface PhaseCounts {
  sent: number;
  skippedWindowFull: number;
  acked: number;
  refused: Record<string, number>;
  timedOut: number;
  ackLatencyMs: LatencyMs | null;
  deliveries: { expected: number; unique: number; duplicates: number; reorders: number; foreign: number; unackedButDelivered: number };
  deliveryLatencyMs: LatencyMs | null;
  /** Acked sends of one connection into one conversation whose seq is below that of an earlier send. */
  seqInversions: number;
}

/**
 * The counters of one window of sending, tagged so that replies and deliveries of an earlier
 * window (a warm-up) that arrive late are not mixed in. Receives every reply of its sends, even
 * after the window ended.
 */
export class PhaseStats implements ReplySink {
  readonly tag: string;
  sent = 0;
  skippedWindowFull = 0;
  acked = 0;
  timedOut = 0;
  readonly #plan: PhasePlan;
  readonly #refused = new Map<number, number>();
  readonly #ack = new LatencyRecorder();
  readonly #delivery = new LatencyRecorder();
  readonly #userOf = new Map<ChatConn, number>();
  /** Per sending connection and conversation: [send number, seq] of each acked send. */
  readonly #seqs = new Map<ChatConn, Map<string, number[]>>();
  /** `user|n` of sends refused or timed out, and of sends seen by any receiver. */
  readonly #notAcked = new Set<string>();
  readonly #seen = new Set<string>();
  unique = 0;
  duplicates = 0;
  reorders = 0;
  foreign = 0;
  /** Called after each reply or timeout, with the sender's connection (closed-loop refill). */
  onSettled: (conn: ChatConn) => void = () => undefined;

  constructor(tag: string, plan: PhasePlan) {
    this.tag = tag;
    this.#plan = plan;
    for (const s of plan.senders) this.#userOf.set(s.conn, s.user);
  }

  get outstanding(): number {
    return this.#plan.senders.reduce((sum, s) => sum + s.conn.inFlight, 0);
  }

  get expected(): number {
    return this.acked * this.#plan.devicesPerMessage;
  }

  replied(conn: ChatConn, send: PendingSend, reply: SendReply, now: number): void {
    if (reply.code === 0) {
      this.acked++;
      this.#ack.record((now - send.sentAtMs) * 1000);
      this.#noteSeq(conn, send.n, reply);
    } else {
      this.#refused.set(reply.code, (this.#refused.get(reply.code) ?? 0) + 1);
      this.#notAcked.add(`${this.#userOf.get(conn)}|${send.n}`);
    }
    this.onSettled(conn);
  }

  expired(conn: ChatConn, send: PendingSend): void {
    this.timedOut++;
    this.#notAcked.add(`${this.#userOf.get(conn)}|${send.n}`);
    this.onSettled(conn);
  }

  /** One op 20 at one device. */
  received(m: Received): void {
    const [tag, sentAt, n] = m.payload.split('|');
    if (tag !== this.tag) {
      this.foreign++;
      return;
    }
    if (m.duplicate) {
      this.duplicates++;
      return;
    }
    this.unique++;
    if (m.reordered) this.reorders++;
    this.#delivery.record((nowMs() - Number(sentAt)) * 1000);
    this.#seen.add(`${m.from}|${n}`);
  }

  counts(): PhaseCounts {
    let unackedButDelivered = 0;
    for (const key of this.#notAcked) if (this.#seen.has(key)) unackedButDelivered++;
    return {
      sent: this.sent,
      skippedWindowFull: this.skippedWindowFull,
      acked: this.acked,
      refused: Object.fromEntries(this.#refused),
      timedOut: this.timedOut,
      ackLatencyMs: latencyOf(this.#ack.toHistogram()),
      deliveries: { expected: this.expected, unique: this.unique, duplicates: this.duplicates, reorders: this.reorders, foreign: this.foreign, unackedButDelivered },
      deliveryLatencyMs: latencyOf(this.#delivery.toHistogram()),
      seqInversions: this.#seqInversions(),
    };
  }

  #noteSeq(conn: ChatConn, n: number, reply: SendReply): void {
    if (reply.conv === undefined || reply.seq === undefined) return;
    let convs = this.#seqs.get(conn);
    if (!convs) this.#seqs.set(conn, (convs = new Map()));
    let pairs = convs.get(reply.conv);
    if (!pairs) convs.set(reply.conv, (pairs = []));
    pairs.push(n, reply.seq);
  }

  #seqInversions(): number {
    let inversions = 0;
    for (const convs of this.#seqs.values()) {
      for (const flat of convs.values()) {
        const pairs: [number, number][] = [];
        for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
        pairs.sort((a, b) => a[0] - b[0]);
        let highest = 0;
        for (const [, seq] of pairs) {
          if (seq < highest) inversions++;
          else highest = seq;
        }
      }
    }
    return inversions;
  }
}

/**
 * Sends for `seconds` at the offered rate (round-robin over the senders, a due send skipped when
 * its connection's window is full), or closed loop (every window kept full) when the rate is 0.
 * Resolves with the seconds actually spent sending.
 */
export async function send(plan: PhasePlan, stats: PhaseStats, pacing: Pacing, seconds: number, progress: () => void): Promise<number> {
  let sending = true;
  const sendOne = (s: PhasePlan['senders'][number]) => {
    s.conn.send(s.to, stats.tag, stats);
    stats.sent++;
  };
  const fill = (s: PhasePlan['senders'][number]) => {
    while (sending && s.conn.inFlight < pacing.inflight) sendOne(s);
  };
  const byConn = new Map(plan.senders.map((s) => [s.conn, s]));
  if (pacing.rate === 0) stats.onSettled = (conn) => fill(byConn.get(conn)!);
  const started = performance.now();
  let budget = 0;
  let last = started;
  let next = 0;
  const tick = () => {
    const now = performance.now();
    for (const s of plan.senders) s.conn.expire(nowMs(), pacing.timeoutMs);
    if (pacing.rate === 0) return plan.senders.forEach(fill);
    budget += (pacing.rate * (now - last)) / 1000;
    last = now;
    for (; budget >= 1; budget--) {
      const s = plan.senders[next++ % plan.senders.length]!;
      if (s.conn.inFlight >= pacing.inflight) stats.skippedWindowFull++;
      else sendOne(s);
    }
  };
  const ticker = setInterval(tick, 10);
  const reporter = setInterval(progress, 2000);
  tick();
  await delay(seconds * 1000);
  sending = false;
  clearInterval(ticker);
  clearInterval(reporter);
  return (performance.now() - started) / 1000;
}

/**
 * Waits until every send has its reply and the receivers hold every expected delivery, or
 * `seconds` at most; sends still unanswered then count as timed out. Resolves with the wait.
 */
export async function drain(plan: PhasePlan, stats: PhaseStats, pacing: Pacing, seconds: number): Promise<number> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline && (stats.outstanding > 0 || stats.unique < stats.expected)) {
    for (const s of plan.senders) s.conn.expire(nowMs(), pacing.timeoutMs);
    await delay(50);
  }
  for (const s of plan.senders) s.conn.expire(Number.POSITIVE_INFINITY, 0);
  return (performance.now() - started) / 1000;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
