import type { CometMetrics } from '@imcluster/metrics';
import { CloseCode, encodeDisconnect, type OutMessage } from '@imcluster/protocol';
import { Bucket, bucketIndex } from './bucket.ts';
import type { Channel } from './channel.ts';
import { FrameCache } from './frames.ts';
import { Unacknowledged } from './resend.ts';
import { observeAges, RoomFanout, type RoomBatchPolicy } from './room_fanout.ts';
import type { CometStats } from './stats.ts';
import { frameFor } from './transport.ts';

/** How chat deliveries are re-sent to connections that do not acknowledge them. */
export interface ResendPolicy {
  scheduleMs: readonly number[];
  /** Unacknowledged messages remembered per connection. */
  unackedMax: number;
}

/** Which stored chat message a delivery carries. */
export interface ChatRef {
  conv: string;
  seq: number;
}

/** Room batches written as they come, never held back (tests and the default of a bare Hub). */
const IMMEDIATE: RoomBatchPolicy = { budgetMs: 0, max: 1, idleLoad: 1 };

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
  readonly #resend: ResendPolicy;
  /** Connections with chat messages awaiting their ack; one timer serves them all. */
  readonly #unacked = new Map<Channel, Unacknowledged>();
  #resendTimer?: NodeJS.Timeout;
  #pacedBroadcasts = new Set<NodeJS.Timeout>();
  readonly #roomFanout: RoomFanout;

  constructor(buckets: number, stats: CometStats, metrics: CometMetrics, resend: ResendPolicy, roomBatch: RoomBatchPolicy = IMMEDIATE) {
    this.#buckets = Array.from({ length: buckets }, () => new Bucket());
    this.#stats = stats;
    this.#metrics = metrics;
    this.#resend = resend;
    this.#roomFanout = new RoomFanout({
      policy: roomBatch,
      members: (room) => this.#membersOf(room),
      deliver: (channel, frame) => {
        if (this.#send(channel, frame, true) === 'sent') this.#metrics.framesWritten.inc();
      },
      written: metrics.roomAgeSeconds.written,
    });
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
    this.#unacked.delete(channel);
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

  /** A chat delivery (`chat` set) is also remembered per connection and re-sent until acknowledged. */
  pushKeys(keys: string[], msg: OutMessage, force: boolean, chat?: ChatRef): { delivered: number; missing: number } {
    this.#metrics.pushes.keys.inc();
    const receivers: Channel[] = [];
    let missing = 0;
    for (const key of keys) {
      const channel = this.#bucketOf(key).channels.get(key);
      if (!channel) missing++;
      else if (force || channel.accepts(msg.op)) receivers.push(channel);
    }
    const now = Date.now();
    const remember = chat && ((channel: Channel, frame: Buffer) => this.#unackedOf(channel).track(chat.conv, chat.seq, frame, now));
    return { delivered: this.#fanOut(receivers, FrameCache.forMessage(msg), remember), missing };
  }

  /** Closes the connections of `keys` this comet holds (op 6 and `code`); returns how many. */
  kick(keys: string[], code: number, reason: string): number {
    let closed = 0;
    for (const key of keys) {
      const channel = this.#bucketOf(key).channels.get(key);
      if (!channel || channel.closed) continue;
      closeChannel(channel, code, reason);
      closed++;
    }
    return closed;
  }

  /** The connection acknowledged `conv` up to `seq` (op 21): no more re-sends of those. */
  ackChat(channel: Channel, conv: string, seq: number): void {
    this.#unacked.get(channel)?.ack(conv, seq);
  }

  /** Starts the one timer that re-sends due chat messages to every connection. */
  startResends(): void {
    const first = this.#resend.scheduleMs[0];
    if (first === undefined) return;
    const tickMs = Math.min(500, Math.max(20, Math.floor(first / 4)));
    this.#resendTimer = setInterval(() => this.#resendDue(Date.now()), tickMs);
    this.#resendTimer.unref();
  }

  stopResends(): void {
    clearInterval(this.#resendTimer);
    this.#unacked.clear();
  }

  /**
   * Queues a room batch for the room's local members (see RoomFanout: written in slices, merged
   * with the room's other waiting messages) and returns how many members the room has here now.
   * `queued` is called once the comet holds the batch within its bound; `acceptedAt` is when logic
   * accepted each message (ms since the epoch, 0 unknown), for the stage-age metric.
   */
  broadcastRoom(room: string, msgs: OutMessage[], acceptedAt: readonly number[] = [], queued?: (members: number) => void): number {
    this.#stats.countRoomBatch(room, msgs.length);
    observeAges(this.#metrics.roomAgeSeconds.received, acceptedAt);
    let members = 0;
    for (const bucket of this.#buckets) members += bucket.rooms.get(room)?.size ?? 0;
    this.#roomFanout.enqueue(room, msgs, acceptedAt, () => queued?.(members));
    return members;
  }

  /** Stops the room writes in progress (shutdown). */
  stopRoomWrites(): void {
    this.#roomFanout.stop();
  }

  /** Iterators over a room's local members, one per bucket; the sets may change while walked. */
  #membersOf(room: string): Iterator<Channel>[] {
    const out: Iterator<Channel>[] = [];
    for (const bucket of this.#buckets) {
      const members = bucket.rooms.get(room);
      if (members) out.push(members.values());
    }
    return out;
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

  /**
   * One push to many connections; the frames-written counter moves once per call, not per socket.
   * `onAccepted` sees each connection that took the frame (a chat delivery is remembered for re-sends).
   */
  #fanOut(channels: Iterable<Channel>, frames: FrameCache, onAccepted?: (channel: Channel, frame: Buffer) => void): number {
    let accepted = 0;
    let written = 0;
    for (const channel of channels) {
      const frame = frames.frameFor(channel);
      const outcome = this.#send(channel, frame, true);
      if (outcome === 'sent') written++;
      if (outcome !== 'sent' && outcome !== 'queued') continue;
      accepted++;
      onAccepted?.(channel, frame);
    }
    this.#metrics.framesWritten.inc(written);
    return accepted;
  }

  #unackedOf(channel: Channel): Unacknowledged {
    let unacked = this.#unacked.get(channel);
    if (!unacked) {
      unacked = new Unacknowledged(this.#resend.scheduleMs, this.#resend.unackedMax);
      this.#unacked.set(channel, unacked);
    }
    return unacked;
  }

  #resendDue(now: number): void {
    for (const [channel, unacked] of this.#unacked) {
      if (channel.closed) {
        this.#unacked.delete(channel);
        continue;
      }
      const frames = unacked.due(now);
      this.#metrics.chatResends.inc(frames.length);
      for (const frame of frames) this.deliver(channel, frame);
      if (unacked.size === 0) this.#unacked.delete(channel);
    }
  }

  #send(channel: Channel, frame: Buffer, droppable: boolean): ReturnType<Channel['send']> {
    const outcome = channel.send(frame, droppable);
    if (outcome === 'dropped' || outcome === 'overflow') this.#metrics.framesDropped.inc();
    if (outcome === 'overflow') this.closeSlow(channel);
    return outcome;
  }

  /** Closes a connection that does not keep up with what it is sent (3002). */
  closeSlow(channel: Channel): void {
    if (channel.closed) return;
    this.#metrics.slowConsumerCloses.inc();
    closeChannel(channel, CloseCode.SLOW_CONSUMER, 'slow consumer');
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
