import type { Counter } from '@imcluster/metrics';
import type { Dialect } from '@imcluster/protocol';
import type { Transport } from './transport.ts';

export interface SendPolicy {
  highWaterBytes: number;
  queueFrames: number;
  /** Bytes the connection's own queue may hold, replies included. */
  queueBytes: number;
  maxDrops: number;
  /** ms a connection may keep frames waiting without its socket draining once. */
  stallMs: number;
}

/** What a connection learnt at authentication. */
export interface Identity {
  mid: number;
  key: string;
  room: string;
  accepts: Set<number>;
  dialect: Dialect;
  protover: number;
  anonymous: boolean;
  /** The client's own device id ("" when it sent none). */
  device: string;
  /** When the connection's token expires, ms since the epoch (0 = never); the sweeper closes it then (3509). */
  tokenExpiresAt: number;
}

/**
 * One authenticated client connection and its bounded send queue.
 *
 * Slow-consumer policy: frames go straight to the transport while it has less than
 * `highWaterBytes` buffered. Beyond that they wait in this connection's queue, and `onBlocked`
 * tells the session to stop reading the client's requests until the queue is empty again, so a
 * client that does not read stops producing replies. The queue holds at most `queueFrames` frames
 * and `queueBytes` bytes: past either the oldest push frame is dropped and counted (replies to
 * the client's own requests are never dropped). The caller disconnects (3002) a connection that
 * drops more than `maxDrops` frames before its queue empties again, whose replies alone exceed
 * `queueBytes`, or that keeps frames waiting `stallMs` without its socket draining. Memory per
 * connection is therefore bounded by highWaterBytes + queueBytes.
 */
export class Channel {
  readonly transport: Transport;
  readonly identity: Identity;
  /** ms timestamp of the last packet received; the sweeper closes silent connections. */
  lastSeen = Date.now();
  /** ms timestamp of the last time its route was written or renewed (connect writes it). */
  routeRenewedAt = Date.now();
  /** ms allowed between two packets before the connection is considered dead. */
  heartbeatMs: number;
  #policy: SendPolicy;
  #written: Counter;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  /** ms timestamp since when frames have waited without the socket draining; 0 while none wait. */
  #waitingSince = 0;
  #onBlocked: (blocked: boolean) => void;
  // Reply frames are built per connection, so identity marks them among shared push frames. Made
  // when a reply first waits: most connections never have one queued.
  #replies?: WeakSet<Buffer>;
  #dropsSinceEmpty = 0;
  #closed = false;

  /**
   * `written` counts the frames this channel's queue hands to the transport once it drains;
   * `onBlocked` hears when frames start waiting (true) and when the queue is empty again (false).
   */
  constructor(transport: Transport, identity: Identity, heartbeatMs: number, policy: SendPolicy, written: Counter, onBlocked: (blocked: boolean) => void) {
    this.transport = transport;
    this.identity = identity;
    this.heartbeatMs = heartbeatMs;
    this.#policy = policy;
    this.#written = written;
    this.#onBlocked = onBlocked;
    transport.onDrain(() => this.#flush());
  }

  get key(): string {
    return this.identity.key;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Frames waiting in this connection's own queue. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Frames have waited `stallMs` or longer without the socket draining: the client does not read. */
  stalled(now: number): boolean {
    return this.#waitingSince > 0 && now - this.#waitingSince >= this.#policy.stallMs;
  }

  /**
   * Whether a key/user push of operation `op` passes the filter. goim clients receive only the
   * operations they accept (as in goim, an empty list accepts none); Bilibili-style clients have
   * no filter and receive everything as op 5.
   */
  accepts(op: number): boolean {
    return this.identity.dialect === 'bili' || this.identity.accepts.has(op);
  }

  /**
   * Queues `frame` (`droppable` false: a reply to the client's own request). Returns 'sent',
   * 'queued', 'dropped' (oldest push dropped to make room) or 'overflow' (the drop budget is
   * exhausted, or replies alone fill the byte budget: the caller should disconnect it).
   */
  send(frame: Buffer, droppable = true): 'sent' | 'queued' | 'dropped' | 'overflow' {
    if (this.#closed) return 'dropped';
    if (this.#queue.length === 0 && this.transport.buffered() < this.#policy.highWaterBytes) {
      this.transport.write(frame);
      return 'sent';
    }
    if (this.#queue.length === 0) this.#block();
    this.#queue.push(frame);
    this.#queuedBytes += frame.length;
    if (!droppable) (this.#replies ??= new WeakSet()).add(frame);
    return this.#trim();
  }

  markClosed(): void {
    this.#closed = true;
    this.#queue.length = 0;
    this.#queuedBytes = 0;
  }

  /** Drops the oldest push frames until the queue is within both budgets. */
  #trim(): 'queued' | 'dropped' | 'overflow' {
    let outcome: 'queued' | 'dropped' = 'queued';
    while (this.#queue.length > this.#policy.queueFrames || this.#queuedBytes > this.#policy.queueBytes) {
      const oldest = this.#queue.findIndex((f) => !this.#replies?.has(f));
      // Only replies left: few frames are bounded by the paused reading; too many bytes are not.
      if (oldest < 0) return this.#queuedBytes > this.#policy.queueBytes ? 'overflow' : outcome;
      this.#queuedBytes -= this.#queue.splice(oldest, 1)[0]!.length;
      this.#dropsSinceEmpty++;
      if (this.#dropsSinceEmpty > this.#policy.maxDrops) return 'overflow';
      outcome = 'dropped';
    }
    return outcome;
  }

  #block(): void {
    this.#waitingSince = Date.now();
    this.#onBlocked(true);
  }

  #flush(): void {
    if (this.#closed) return;
    let written = 0;
    while (this.#queue.length > 0 && this.transport.buffered() < this.#policy.highWaterBytes) {
      const frame = this.#queue.shift()!;
      this.#queuedBytes -= frame.length;
      this.transport.write(frame);
      written++;
    }
    this.#written.inc(written);
    // The client reads: a sign of life while its own packets wait unread behind the queue.
    this.lastSeen = Date.now();
    if (this.#queue.length > 0) {
      this.#waitingSince = Date.now(); // the socket drained: the client reads, slowly
      return;
    }
    this.#dropsSinceEmpty = 0;
    if (this.#waitingSince === 0) return;
    this.#waitingSince = 0;
    this.#onBlocked(false);
  }
}
