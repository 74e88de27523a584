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
}

/**
 * One authenticated client connection and its bounded send queue.
 *
 * Slow-consumer policy: frames go straight to the transport while it has less than
 * `highWaterBytes` buffered. Beyond that they wait in this connection's queue of at most
 * `queueFrames`; when it is full the oldest frame is dropped and counted. A connection that drops
 * more than `maxDrops` frames before its queue empties again is disconnected by the caller (3002).
 * Memory per connection is therefore bounded by highWaterBytes + queueFrames frames.
 */
export class Channel {
  readonly transport: Transport;
  readonly identity: Identity;
  /** ms timestamp of the last packet received; the sweeper closes silent connections. */
  lastSeen = Date.now();
  /** Set by a heartbeat, cleared when comet reports the connection alive to logic. */
  aliveDirty = true;
  /** ms allowed between two packets before the connection is considered dead. */
  heartbeatMs: number;
  #policy: SendPolicy;
  #queue: Buffer[] = [];
  #dropsSinceEmpty = 0;
  #closed = false;

  constructor(transport: Transport, identity: Identity, heartbeatMs: number, policy: SendPolicy) {
    this.transport = transport;
    this.identity = identity;
    this.heartbeatMs = heartbeatMs;
    this.#policy = policy;
    transport.onDrain(() => this.#flush());
  }

  get key(): string {
    return this.identity.key;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Whether a key/user push of operation `op` passes the `accepts` filter (an empty filter passes all). */
  accepts(op: number): boolean {
    return this.identity.accepts.size === 0 || this.identity.accepts.has(op);
  }

  /**
   * Queues `frame`. Returns 'sent', 'queued', 'dropped' (oldest dropped to make room) or
   * 'overflow' (the drop budget is exhausted: the caller should disconnect it).
   */
  send(frame: Buffer): 'sent' | 'queued' | 'dropped' | 'overflow' {
    if (this.#closed) return 'dropped';
    if (this.#queue.length === 0 && this.transport.buffered() < this.#policy.highWaterBytes) {
      this.transport.write(frame);
      return 'sent';
    }
    this.#queue.push(frame);
    if (this.#queue.length <= this.#policy.queueFrames) return 'queued';
    this.#queue.shift();
    this.#dropsSinceEmpty++;
    return this.#dropsSinceEmpty > this.#policy.maxDrops ? 'overflow' : 'dropped';
  }

  markClosed(): void {
    this.#closed = true;
    this.#queue.length = 0;
  }

  #flush(): void {
    while (this.#queue.length > 0 && this.transport.buffered() < this.#policy.highWaterBytes) {
      this.transport.write(this.#queue.shift()!);
    }
    if (this.#queue.length === 0) this.#dropsSinceEmpty = 0;
  }
}
