import { createClient, type ImClient, type NodeClientOptions } from '../../libs/client/src/node.ts';
import type { Cleanup } from '../helpers/cleanup.ts';
import { API_KEY } from '../helpers/cluster.ts';
import { asUser } from '../helpers/chat.ts';
import { registerUser } from '../helpers/users.ts';

/** One acknowledged or pending send, in the order its sender made them. */
interface Send {
  sentAt: number;
  ackAt?: number;
  seq?: number;
}

interface Sender {
  name: string;
  client: ImClient;
  target: { type: 'user' | 'group'; id: number };
  conv: string;
  sends: Send[];
}

/** An app-visible chat message: what a device's `message` event carried, and when. */
interface Seen {
  at: number;
  device: string;
  conv: string;
  seq: number;
}

export interface FaultFigures {
  fault: string;
  acked: number;
  lost: number;
  duplicates: number;
  convOrderViolations: number;
  senderOrderViolations: number;
  ackGapP50Ms: number;
  ackGapP99Ms: number;
  roomPushes2xx: number;
  roomPushesRefused: number;
  roomPushesUndelivered: number;
}

const SEND_EVERY_MS = 250;
const WINDOW = 4;
const ROOM = 'live://chaos';

/**
 * Steady chat and room traffic against a cluster: direct pairs (the receiver on two devices, WS
 * and TCP) and a group with two senders, each sender pipelining up to WINDOW sends; room pushes
 * through logic's API to anonymous viewers. Every client finds the comets through discovery, so
 * it reconnects to whichever comets live. What each app saw is kept for the audit of a window.
 */
export class Traffic {
  readonly senders: Sender[] = [];
  readonly seen: Seen[] = [];
  readonly #seenKeys = new Set<string>();
  readonly #devices = new Map<string, ImClient>();
  /** Devices that receive each conversation (the senders' own devices excluded). */
  readonly #receivers = new Map<string, string[]>();
  readonly #rooms: { id: number; at: number; status: number }[] = [];
  readonly #roomSeen = new Map<string, Set<number>>();
  readonly #cleanup: Cleanup;
  readonly #http: string;
  #stopped = false;
  #loops: Promise<void>[] = [];

  constructor(cleanup: Cleanup, http: string) {
    this.#cleanup = cleanup;
    this.#http = http;
  }

  #client(options: Partial<NodeClientOptions>): ImClient {
    const client = createClient({ discovery: this.#http, reconnect: { baseMs: 100, maxMs: 1000, drainMaxMs: 300 }, heartbeatMs: 2000, ...options });
    this.#cleanup.after(() => client.close());
    return client;
  }

  async #device(name: string, token: string, transport: 'ws' | 'tcp'): Promise<ImClient> {
    const client = this.#client({ token, transport, deviceId: name, chat: { maxInFlight: 16, maxOutbox: 100_000, ackTimeoutMs: 5000 } });
    client.on('message', (m) => {
      this.seen.push({ at: Date.now(), device: name, conv: m.conv, seq: m.seq });
      this.#seenKeys.add(`${name} ${m.conv} ${m.seq}`);
    });
    this.#devices.set(name, client);
    await client.connect();
    return client;
  }

  /** Per device that misses messages of [from, to]: how many, its state, and the seqs it lacks (first ones). */
  missingByDevice(from: number, to: number): Record<string, { missing: number; state: string; first: number[] }> {
    const out: Record<string, { missing: number; state: string; first: number[] }> = {};
    for (const s of this.senders) {
      for (const device of this.#receivers.get(s.conv) ?? []) {
        for (const send of s.sends) {
          if (send.sentAt < from || send.sentAt > to || send.seq === undefined || this.#seenKeys.has(`${device} ${s.conv} ${send.seq}`)) continue;
          const entry = (out[device] ??= { missing: 0, state: this.#devices.get(device)?.state ?? '?', first: [] });
          entry.missing++;
          if (entry.first.length < 5) entry.first.push(send.seq);
        }
      }
    }
    return out;
  }

  async setUp(pairs: number): Promise<void> {
    for (let i = 0; i < pairs; i++) {
      const [alice, bob] = [await registerUser(this.#http, 'ca'), await registerUser(this.#http, 'cb')];
      const sender = await this.#device(`a${i}`, alice.token, i % 2 ? 'tcp' : 'ws');
      await this.#device(`b${i}-ws`, bob.token, 'ws');
      await this.#device(`b${i}-tcp`, bob.token, 'tcp');
      const conv = alice.id < bob.id ? `u:${alice.id}:${bob.id}` : `u:${bob.id}:${alice.id}`;
      this.#receivers.set(conv, [`b${i}-ws`, `b${i}-tcp`]);
      this.senders.push({ name: `a${i}`, client: sender, target: { type: 'user', id: bob.id }, conv, sends: [] });
    }
    const members = await Promise.all(Array.from({ length: 4 }, () => registerUser(this.#http, 'cg')));
    const owner = members[0]!;
    const group = (await asUser(this.#http, owner.token, 'POST', '/api/v1/groups', { name: 'chaos' })).body.id as number;
    for (const m of members.slice(1)) await asUser(this.#http, owner.token, 'POST', `/api/v1/groups/${group}/members`, { user: m.id });
    const conv = `g:${group}`;
    const devices = await Promise.all(members.map((m, i) => this.#device(`g${i}`, m.token, i % 2 ? 'tcp' : 'ws')));
    this.#receivers.set(conv, ['g2', 'g3']);
    for (const i of [0, 1]) this.senders.push({ name: `g${i}`, client: devices[i]!, target: { type: 'group', id: group }, conv, sends: [] });
    for (let v = 0; v < 3; v++) {
      const name = `viewer${v}`;
      const seen = new Set<number>();
      this.#roomSeen.set(name, seen);
      const viewer = this.#client({ room: ROOM, chat: false });
      viewer.on('push', (p) => seen.add(Number(p.text())));
      await viewer.connect();
    }
  }

  start(): void {
    this.#loops = [...this.senders.map((s) => this.#sendLoop(s)), this.#roomLoop()];
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#loops);
  }

  async #sendLoop(sender: Sender): Promise<void> {
    let inFlight = 0;
    for (let i = 0; !this.#stopped; i++) {
      if (inFlight < WINDOW) {
        const send: Send = { sentAt: Date.now() };
        sender.sends.push(send);
        inFlight++;
        sender.client.chat.send(sender.target, `${sender.name}-${i}`).then(
          (ack) => {
            send.ackAt = Date.now();
            send.seq = ack.seq;
            inFlight--;
          },
          () => inFlight--,
        );
      }
      await sleep(SEND_EVERY_MS);
    }
  }

  async #roomLoop(): Promise<void> {
    for (let id = 0; !this.#stopped; id++) {
      const at = Date.now();
      const status = await fetch(`${this.#http}/goim/push/room?operation=1000&type=live&room=chaos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}` },
        body: String(id),
        signal: AbortSignal.timeout(15_000),
      }).then(
        (res) => res.status,
        () => 0,
      );
      this.#rooms.push({ id, at, status });
      await sleep(500);
    }
  }

  /** Every sender has at least `count` acks after `since`. */
  acksSince(since: number, count: number): boolean {
    return this.senders.every((s) => s.sends.filter((x) => x.ackAt !== undefined && x.ackAt > since).length >= count);
  }

  /** Sends made in [from, to] that every receiving device has seen (or all, after the wait). */
  #missing(from: number, to: number): number {
    let missing = 0;
    for (const s of this.senders) {
      const devices = this.#receivers.get(s.conv) ?? [];
      for (const send of s.sends) {
        if (send.sentAt < from || send.sentAt > to || send.seq === undefined) continue;
        for (const device of devices) if (!this.#seenKeys.has(`${device} ${s.conv} ${send.seq}`)) missing++;
      }
    }
    return missing;
  }

  /**
   * Waits (at most `ms`) until every device saw every message acked for a send made in [from, to]
   * and (at most 10 s more) every viewer every room push answered 2xx in it, which may still be
   * on its way.
   */
  async settle(from: number, to: number, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.#missing(from, to) > 0 && Date.now() < deadline) await sleep(250);
    // Room pushes are best-effort: one a dead comet's viewer missed never comes, so wait less.
    const roomDeadline = Math.min(deadline, Date.now() + 10_000);
    while (this.#roomsUndelivered(from, to) > 0 && Date.now() < roomDeadline) await sleep(250);
  }

  /** Room pushes answered 2xx in [from, to] that some viewer has not received. */
  #roomsUndelivered(from: number, to: number): number {
    const ok = this.#rooms.filter((r) => r.at >= from && r.at <= to && r.status >= 200 && r.status < 300);
    return ok.filter((r) => [...this.#roomSeen.values()].some((seen) => !seen.has(r.id))).length;
  }

  /** The audit of the sends made, and the messages seen, in [from, to]. */
  figures(fault: string, from: number, to: number): FaultFigures {
    const acked = this.senders.flatMap((s) => s.sends.filter((x) => x.sentAt >= from && x.sentAt <= to && x.seq !== undefined)).length;
    const keys = new Set<string>();
    let duplicates = 0;
    let convOrderViolations = 0;
    const last = new Map<string, number>();
    for (const m of this.seen) {
      const key = `${m.device} ${m.conv} ${m.seq}`;
      const inWindow = m.at >= from && m.at <= to;
      if (keys.has(key) && inWindow) duplicates++;
      keys.add(key);
      const stream = `${m.device} ${m.conv}`;
      const previous = last.get(stream);
      if (inWindow && previous !== undefined && m.seq !== previous + 1) convOrderViolations++;
      last.set(stream, m.seq);
    }
    let senderOrderViolations = 0;
    const gaps: number[] = [];
    for (const s of this.senders) {
      const ordered = s.sends.filter((x) => x.seq !== undefined);
      for (let i = 1; i < ordered.length; i++) if (ordered[i]!.sentAt >= from && ordered[i]!.sentAt <= to && ordered[i]!.seq! <= ordered[i - 1]!.seq!) senderOrderViolations++;
      // The longest this sender went without an ack during the window.
      const ackTimes = s.sends.flatMap((x) => (x.ackAt !== undefined && x.ackAt >= from && x.ackAt <= to ? [x.ackAt] : [])).sort((a, b) => a - b);
      let gap = 0;
      let previous = from;
      for (const t of [...ackTimes, to]) {
        gap = Math.max(gap, t - previous);
        previous = t;
      }
      gaps.push(gap);
    }
    const rooms = this.#rooms.filter((r) => r.at >= from && r.at <= to);
    const ok = rooms.filter((r) => r.status >= 200 && r.status < 300);
    return {
      fault,
      acked,
      lost: this.#missing(from, to),
      duplicates,
      convOrderViolations,
      senderOrderViolations,
      ackGapP50Ms: percentile(gaps, 0.5),
      ackGapP99Ms: percentile(gaps, 0.99),
      roomPushes2xx: ok.length,
      roomPushesRefused: rooms.length - ok.length,
      roomPushesUndelivered: this.#roomsUndelivered(from, to),
    };
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
