import type { CometMetrics } from '@imcluster/metrics';
import { CloseCode, encodeDisconnect, type OutMessage } from '@imcluster/protocol';
import { Bucket, bucketIndex } from './bucket.ts';
import type { Channel } from './channel.ts';
import { FrameCache } from './frames.ts';
import type { CometStats } from './stats.ts';
import { frameFor } from './transport.ts';

/** How often a paced broadcast writes its next slice, ms. */
const BROADCAST_TICK_MS = 100;

/**
 * Every authenticated connection of this comet, sharded into buckets, and the fan-out of pushes
 * to them. All writes go through `deliver`, which applies the slow-consumer policy.
 */
export class Hub {
  readonly #buckets: Bucket[];
  readonly #stats: CometStats;
  readonly #metrics: CometMetrics;
  #pacedBroadcasts = new Set<NodeJS.Timeout>();

  constructor(buckets: number, stats: CometStats, metrics: CometMetrics) {
    this.#buckets = Array.from({ length: buckets }, () => new Bucket());
    this.#stats = stats;
    this.#metrics = metrics;
  }

  get size(): number {
    let n = 0;
    for (const bucket of this.#buckets) n += bucket.channels.size;
    return n;
  }

  add(channel: Channel): void {
    this.#bucketOf(channel.key).put(channel);
    this.#metrics.connections(channel.transport.kind, channel.identity.dialect).inc();
  }

  remove(channel: Channel): boolean {
    if (!this.#bucketOf(channel.key).remove(channel)) return false;
    this.#metrics.connections(channel.transport.kind, channel.identity.dialect).dec();
    return true;
  }

  changeRoom(channel: Channel, room: string): void {
    this.#bucketOf(channel.key).changeRoom(channel, room);
  }

  *channels(): IterableIterator<Channel> {
    for (const bucket of this.#buckets) yield* bucket.channels.values();
  }

  /** Local member count per room. */
  roomCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const bucket of this.#buckets) {
      for (const [room, members] of bucket.rooms) counts[room] = (counts[room] ?? 0) + members.size;
    }
    return counts;
  }

  pushKeys(keys: string[], msg: OutMessage, force: boolean): { delivered: number; missing: number } {
    this.#metrics.pushes.keys.inc();
    const receivers: Channel[] = [];
    let missing = 0;
    for (const key of keys) {
      const channel = this.#bucketOf(key).channels.get(key);
      if (!channel) missing++;
      else if (force || channel.accepts(msg.op)) receivers.push(channel);
    }
    return { delivered: this.#fanOut(receivers, FrameCache.forMessage(msg)), missing };
  }

  broadcastRoom(room: string, msgs: OutMessage[]): number {
    this.#stats.countRoomBatch(room, msgs.length);
    const frames = FrameCache.forRoomBatch(msgs);
    let delivered = 0;
    for (const bucket of this.#buckets) {
      const members = bucket.rooms.get(room);
      if (members) delivered += this.#fanOut(members, frames);
    }
    return delivered;
  }

  /**
   * Sends to every connection. With `speed` > 0 (goim's pacing, connections per second) the
   * writes are spread over time; the returned count is of connections scheduled.
   */
  broadcast(msg: OutMessage, speed: number): number {
    this.#metrics.pushes.broadcast.inc();
    const frames = FrameCache.forMessage(msg);
    const targets = [...this.channels()];
    if (speed <= 0) {
      this.#fanOut(targets, frames);
      return targets.length;
    }
    this.#pace(targets, frames, Math.max(1, Math.ceil((speed * BROADCAST_TICK_MS) / 1000)));
    return targets.length;
  }

  /** Writes one frame to one connection under the slow-consumer policy; returns 1 when queued or sent. */
  deliver(channel: Channel, frame: Buffer, droppable = true): number {
    const outcome = this.#send(channel, frame, droppable);
    if (outcome === 'sent') this.#metrics.framesWritten.inc();
    return outcome === 'sent' || outcome === 'queued' ? 1 : 0;
  }

  /** One push to many connections; the frames-written counter moves once per call, not per socket. */
  #fanOut(channels: Iterable<Channel>, frames: FrameCache): number {
    let accepted = 0;
    let written = 0;
    for (const channel of channels) {
      const outcome = this.#send(channel, frames.frameFor(channel), true);
      if (outcome === 'sent') written++;
      if (outcome === 'sent' || outcome === 'queued') accepted++;
    }
    this.#metrics.framesWritten.inc(written);
    return accepted;
  }

  #send(channel: Channel, frame: Buffer, droppable: boolean): ReturnType<Channel['send']> {
    const outcome = channel.send(frame, droppable);
    if (outcome === 'dropped' || outcome === 'overflow') this.#metrics.framesDropped.inc();
    if (outcome === 'overflow') {
      this.#metrics.slowConsumerCloses.inc();
      closeChannel(channel, CloseCode.SLOW_CONSUMER, 'slow consumer');
    }
    return outcome;
  }

  stopPacedBroadcasts(): void {
    for (const timer of this.#pacedBroadcasts) clearInterval(timer);
    this.#pacedBroadcasts.clear();
  }

  #pace(targets: Channel[], frames: FrameCache, perTick: number): void {
    let next = 0;
    const timer = setInterval(() => {
      const end = Math.min(targets.length, next + perTick);
      this.#fanOut(targets.slice(next, end).filter((channel) => !channel.closed), frames);
      next = end;
      if (next < targets.length) return;
      clearInterval(timer);
      this.#pacedBroadcasts.delete(timer);
    }, BROADCAST_TICK_MS);
    this.#pacedBroadcasts.add(timer);
  }

  #bucketOf(key: string): Bucket {
    return this.#buckets[bucketIndex(key, this.#buckets.length)]!;
  }
}

/** Tells the client why (op 6, which TCP clients need) and closes with the code. */
export function closeChannel(channel: Channel, code: number, reason: string): void {
  if (channel.closed) return;
  channel.markClosed();
  channel.transport.write(frameFor(channel.transport, encodeDisconnect(code, reason)));
  channel.transport.close(code, reason);
}
