import http from 'node:http';
import type { Histogram } from 'hdr-histogram-js';
import { MAX_LATENCY_US, newHistogram } from './latency.ts';
import { encodePayload, nowMs } from './payload.ts';
import { roomId } from './plan.ts';

export interface PusherOptions {
  http: URL;
  apiKey: string;
  operation: number;
  rooms: number;
  rate: number;
  seconds: number;
  size: number;
  concurrency: number;
  runTag: number;
}

/** How often the scheduler looks whether pushes are due; 5 ms keeps bursts small at any rate. */
const TICK_MS = 5;
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_ERROR_KINDS = 20;

/**
 * Pushes to rooms through logic's goim HTTP API at a fixed rate, round-robin over rooms, with at
 * most `concurrency` requests in flight on keep-alive connections. Pushes that fall behind the
 * schedule (all slots busy) are sent late rather than dropped, until the run's time is up (those
 * still due then are never sent). How far behind it got is reported: the send time in the body is
 * taken when a push is actually sent, so late sends hide server latency (coordinated omission).
 */
export class Pusher {
  sent = 0;
  acked = 0;
  failed = 0;
  /** Largest number of pushes that were due but not yet sent. */
  maxBacklog = 0;
  readonly acceptedPerRoom: number[];
  readonly errors = new Map<string, number>();
  /** Push API response time, microseconds. */
  readonly ackLatency: Histogram = newHistogram();
  readonly #o: PusherOptions;
  readonly #agent: http.Agent;
  /** Epoch ms when the first push was due, comparable with the clients' receive times. */
  startedAtMs = 0;
  #inFlight = 0;
  #startedAt = 0;
  #endedAt = 0;

  constructor(options: PusherOptions) {
    this.#o = options;
    this.acceptedPerRoom = new Array<number>(options.rooms).fill(0);
    this.#agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Seconds spent sending (start of the first push to the last ack). */
  get elapsedSec(): number {
    return ((this.#endedAt || performance.now()) - this.#startedAt) / 1000;
  }

  /** Runs the schedule for `seconds`, then waits for the requests still in flight. */
  async run(): Promise<void> {
    const total = this.#o.rate * this.#o.seconds;
    this.#startedAt = performance.now();
    this.startedAtMs = nowMs();
    const deadline = this.#startedAt + this.#o.seconds * 1000;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const now = performance.now();
        const due = Math.min(total, Math.floor(((now - this.#startedAt) / 1000) * this.#o.rate) + 1);
        while (this.sent < due && this.#inFlight < this.#o.concurrency) this.#pushOne();
        this.maxBacklog = Math.max(this.maxBacklog, due - this.sent);
        if (this.sent >= total || now >= deadline) {
          clearInterval(timer);
          resolve();
        }
      }, TICK_MS);
    });
    while (this.#inFlight > 0) await delay(10);
    this.#endedAt = performance.now();
    this.#agent.destroy();
  }

  #pushOne(): void {
    const seq = this.sent++;
    const room = seq % this.#o.rooms;
    const { http: base, operation, apiKey } = this.#o;
    const path = `/goim/push/room?operation=${operation}&type=live&room=${encodeURIComponent(roomId(room))}`;
    const body = encodePayload(seq, this.#o.runTag, this.#o.size);
    const started = performance.now();
    this.#inFlight++;
    // A request can report twice (response error, then request error): only the first counts.
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      this.#inFlight--;
      fn();
    };
    const req = http.request(
      {
        agent: this.#agent,
        host: base.hostname,
        port: base.port || 80,
        method: 'POST',
        path,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/octet-stream', 'content-length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => settle(() => this.#onAnswer(room, res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), started)));
        res.on('error', (error) => settle(() => this.#noteError(error.message)));
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.on('error', (error) => settle(() => this.#noteError((error as NodeJS.ErrnoException).code ?? error.message)));
    req.end(body);
  }

  #onAnswer(room: number, status: number, text: string, started: number): void {
    let code: unknown;
    try {
      code = (JSON.parse(text) as { code?: unknown }).code;
    } catch {
      code = undefined;
    }
    if (status !== 200 || code !== 0) return this.#noteError(`HTTP ${status} ${text.slice(0, 100)}`);
    this.acked++;
    this.acceptedPerRoom[room]!++;
    const us = Math.max(1, Math.min(MAX_LATENCY_US, Math.round((performance.now() - started) * 1000)));
    this.ackLatency.recordValue(us);
  }

  #noteError(text: string): void {
    this.failed++;
    const key = this.errors.has(text) || this.errors.size < MAX_ERROR_KINDS ? text : 'other';
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
