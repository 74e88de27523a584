import type { Counter } from '@imcluster/metrics';
import type { Dialect } from '@imcluster/protocol';
import type { Transport } from './transport.ts';

export interface SendPolicy {
  highWaterBytes: number;
  queueFrames: number;
  maxDrops: number;
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
 * `highWaterBytes` buffered. Beyond that they wait in this connection's queue of at most
 * `queueFrames`; when it is full the oldest push frame is dropped and counted (replies to the
 * client's own requests are never dropped). A connection that drops more than `maxDrops` frames
 * before its queue empties again is disconnected by the caller (3002). Memory per connection is
 * therefore bounded by highWaterBytes + queueFrames frames.
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
  // Reply frames are built per connection, so identity marks them among shared push frames.
  #replies = new WeakSet<Buffer>();
  #dropsSinceEmpty = 0;
  #closed = false;

  /** `written` counts the frames this channel's queue hands to the transport once it drains. */
  constructor(transport: Transport, identity: Identity, heartbeatMs: number, policy: SendPolicy, written: Counter) {
    this.transport = transport;
    this.identity = identity;
    this.heartbeatMs = heartbeatMs;
    this.#policy = policy;
    this.#written = written;
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

  /**
   * Whether a key/user push of operation `op` passes the filter. goim clients receive only the
   * operations they accept (as in goim, an empty list accepts none); Bilibili-style clients have
   * no filter and receive everything as op 5.
   */
  accepts(op: number): boolean {
    return this.identity.dialect === 'bili' || this.identity.accepts.has(op);
  }

  /**
   * Queues `frame`. Returns 'sent', 'queued', 'dropped' (oldest dropped to make room) or
   * 'overflow' (the drop budget is exhausted: the caller should disconnect it).
   */
  send(frame: Buffer, droppable = true): 'sent' | 'queued' | 'dropped' | 'overflow' {
    if (this.#closed) return 'dropped';
    if (this.#queue.length === 0 && this.transport.buffered() < this.#policy.highWaterBytes) {
      this.transport.write(frame);
      return 'sent';
    }
    this.#queue.push(frame);
    if (!droppable) this.#replies.add(frame);
    if (this.#queue.length <= this.#policy.queueFrames) return 'queued';
    const oldest = this.#queue.findIndex((f) => !this.#replies.has(f));
    if (oldest < 0) return 'queued'; // only replies queued: bounded by the client's own request rate
    this.#queue.splice(oldest, 1);
    this.#dropsSinceEmpty++;
    return this.#dropsSinceEmpty > this.#policy.maxDrops ? 'overflow' : 'dropped';
  }

  markClosed(): void {
    this.#closed = true;
    this.#queue.length = 0;
  }

  #flush(): void {
    let written = 0;
    while (this.#queue.length > 0 && this.transport.buffered() < this.#policy.highWaterBytes) {
      this.transport.write(this.#queue.shift()!);
      written++;
    }
    this.#written.inc(written);
    if (this.#queue.length === 0) this.#dropsSinceEmpty = 0;
  }
}
