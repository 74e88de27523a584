/** A chat message written to one connection and not yet acknowledged by it. */
interface Unacked {
  conv: string;
  seq: number;
  frame: Buffer;
  attempt: number;
  dueAt: number;
}

/**
 * The chat messages one connection (one device) has been sent and not acknowledged, each with its
 * own re-send schedule counted from its last delivery attempt. An ack (op 21) is cumulative per
 * conversation. Bounded: past `max` entries the oldest is forgotten (the client gets it by sync);
 * after the last attempt an entry is forgotten too.
 */
export class Unacknowledged {
  readonly #scheduleMs: readonly number[];
  readonly #max: number;
  #entries: Unacked[] = [];
  readonly #acked = new Map<string, number>();

  constructor(scheduleMs: readonly number[], max: number) {
    this.#scheduleMs = scheduleMs;
    this.#max = max;
  }

  get size(): number {
    return this.#entries.length;
  }

  track(conv: string, seq: number, frame: Buffer, now: number): void {
    const first = this.#scheduleMs[0];
    if (first === undefined || (this.#acked.get(conv) ?? 0) >= seq) return;
    this.#entries.push({ conv, seq, frame, attempt: 0, dueAt: now + first });
    if (this.#entries.length > this.#max) this.#entries.shift();
  }

  ack(conv: string, seq: number): void {
    if (seq > (this.#acked.get(conv) ?? 0)) this.#acked.set(conv, seq);
  }

  /** Frames due for another attempt now, in delivery order; forgets what was acked or exhausted. */
  due(now: number): Buffer[] {
    const frames: Buffer[] = [];
    this.#entries = this.#entries.filter((entry) => {
      if ((this.#acked.get(entry.conv) ?? 0) >= entry.seq) return false;
      if (entry.dueAt > now) return true;
      frames.push(entry.frame);
      const wait = this.#scheduleMs[++entry.attempt];
      if (wait === undefined) return false;
      entry.dueAt = now + wait;
      return true;
    });
    this.#forgetIdleCursors();
    return frames;
  }

  // Ack cursors are needed only while that conversation has entries to filter.
  #forgetIdleCursors(): void {
    if (this.#acked.size === 0) return;
    const live = new Set(this.#entries.map((entry) => entry.conv));
    for (const conv of this.#acked.keys()) if (!live.has(conv)) this.#acked.delete(conv);
  }
}
