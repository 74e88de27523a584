import { performance } from 'node:perf_hooks';
import type { Histogram } from '@imcluster/metrics';
import type { OutMessage } from '@imcluster/protocol';
import type { Channel } from './channel.ts';
import { FrameCache } from './frames.ts';

/** How a room's messages are merged into frames (IM_COMET_ROOM_BATCH_*; docs/operations.md). */
export interface RoomBatchPolicy {
  /** Longest a room message waits for company while the comet is busy, ms (0: never waits). */
  budgetMs: number;
  /** A room's waiting messages are written at once when this many wait; a frame carries at most this many. */
  max: number;
  /**
   * Event-loop utilisation (0-1) up to which nothing waits. Above it the wait grows linearly and
   * reaches `budgetMs` at `idleLoad` + 0.4; 0 makes every room wait the whole budget (goim's way).
   */
  idleLoad: number;
}

/** Writes a frame to one member under the slow-consumer policy. */
export type Deliver = (channel: Channel, frame: Buffer) => void;

/** Sockets written per turn of the event loop before yielding to I/O (gRPC, heartbeats, reads). */
const SLICE = 512;
/**
 * Messages a room may hold before its next write starts, above which a room batch is answered only
 * once they are taken: the job then waits (and does not commit), so a comet that cannot keep up
 * holds at most this many per room instead of growing without bound.
 */
export const ROOM_PENDING_LIMIT = 1000;
/** Ramp of the wait above `idleLoad`, in event-loop utilisation. */
const LOAD_RAMP = 0.4;
const LOAD_SAMPLE_MS = 250;

interface RoomQueue {
  room: string;
  msgs: OutMessage[];
  acceptedAt: number[];
  /** Replies held back until their messages are taken (back-pressure). */
  held: (() => void)[];
  /** performance.now() when the last write of this room started. */
  lastWriteAt: number;
  writing: boolean;
  timer: NodeJS.Timeout | undefined;
  /** performance.now() when `timer` fires. */
  timerAt: number;
}

/** One room batch being written to the room's members, a slice per turn of the event loop. */
interface Pass {
  queue: RoomQueue;
  frames: FrameCache;
  acceptedAt: number[];
  /** The room's member sets not yet written (a generator over them cost ~60 ns more per socket). */
  members: Iterator<Channel>[];
}

/**
 * The room broadcast path: a room batch (a PushStream message or a BroadcastRoom call) queues its
 * messages here and is answered; the room's members are written in slices so that a
 * 10,000-member room does not block the event loop.
 *
 * Per room, one write at a time, in arrival order, each frame carrying every message that waited.
 * A room that has been quiet for the current wait is written at once; otherwise its messages wait
 * until that long after the room's previous write started (or until `max` wait). The wait is 0
 * while the comet is idle and grows to `budgetMs` as it gets busy, so at light load nothing waits
 * and under load each socket gets at most about 1000 / budgetMs writes per second per room.
 */
export class RoomFanout {
  readonly #policy: RoomBatchPolicy;
  readonly #members: (room: string) => Iterator<Channel>[];
  readonly #deliver: Deliver;
  readonly #written: Histogram;
  readonly #rooms = new Map<string, RoomQueue>();
  #active: Pass[] = [];
  #tickScheduled = false;
  #elu = performance.eventLoopUtilization();
  #load = 0;
  #loadAt = 0;

  /** `members(room)`: iterators over the room's member sets (one per bucket), walked one after another. */
  constructor(opts: { policy: RoomBatchPolicy; members: (room: string) => Iterator<Channel>[]; deliver: Deliver; written: Histogram }) {
    this.#policy = opts.policy;
    this.#members = opts.members;
    this.#deliver = opts.deliver;
    this.#written = opts.written;
  }

  /** Messages waiting for a write, all rooms together. */
  get waiting(): number {
    let n = 0;
    for (const queue of this.#rooms.values()) n += queue.msgs.length;
    return n;
  }

  /**
   * Queues a room batch; `queued` is called once the comet holds it within its bound (at once,
   * unless the room already has ROOM_PENDING_LIMIT messages waiting).
   */
  enqueue(room: string, msgs: OutMessage[], acceptedAt: readonly number[], queued: () => void): void {
    let queue = this.#rooms.get(room);
    if (!queue) {
      queue = { room, msgs: [], acceptedAt: [], held: [], lastWriteAt: -Infinity, writing: false, timer: undefined, timerAt: 0 };
      this.#rooms.set(room, queue);
    }
    for (let i = 0; i < msgs.length; i++) {
      queue.msgs.push(msgs[i]!);
      queue.acceptedAt.push(acceptedAt[i] ?? 0);
    }
    if (queue.msgs.length > ROOM_PENDING_LIMIT) queue.held.push(queued);
    else queued();
    this.#schedule(queue);
  }

  /** Drops everything waiting and stops writing (shutdown); held replies are released. */
  stop(): void {
    for (const queue of this.#rooms.values()) {
      clearTimeout(queue.timer);
      queue.held.forEach((release) => release());
    }
    this.#rooms.clear();
    this.#active = [];
  }

  #schedule(queue: RoomQueue): void {
    if (queue.writing || queue.msgs.length === 0) return;
    const now = performance.now();
    const wait = queue.msgs.length >= this.#policy.max ? 0 : queue.lastWriteAt + this.#waitMs(now) - now;
    if (wait > 0) {
      // Keep a timer that fires in time (the forget timer of #finish may be later than this wait).
      if (queue.timer === undefined || queue.timerAt > now + wait) this.#setTimer(queue, now, wait);
      return;
    }
    clearTimeout(queue.timer);
    queue.timer = undefined;
    this.#start(queue, now);
  }

  /** A room's wait is over: write it, or forget it if it stayed quiet (its wait has passed). */
  #onTimer(queue: RoomQueue): void {
    queue.timer = undefined;
    if (queue.msgs.length > 0 || queue.writing) return this.#schedule(queue);
    if (this.#rooms.get(queue.room) === queue) this.#rooms.delete(queue.room);
  }

  /** The current wait: 0 up to `idleLoad` of event-loop utilisation, `budgetMs` from idleLoad + 0.4. */
  #waitMs(now: number): number {
    const { budgetMs, idleLoad } = this.#policy;
    if (budgetMs === 0) return 0;
    if (now - this.#loadAt >= LOAD_SAMPLE_MS) {
      const elu = performance.eventLoopUtilization();
      this.#load = performance.eventLoopUtilization(elu, this.#elu).utilization;
      this.#elu = elu;
      this.#loadAt = now;
    }
    return budgetMs * Math.min(1, Math.max(0, (this.#load - idleLoad) / LOAD_RAMP));
  }

  /** Takes what the room has waiting (up to `max`) into one frame and writes the first slice at once. */
  #start(queue: RoomQueue, now: number): void {
    const msgs = queue.msgs.splice(0, this.#policy.max);
    const acceptedAt = queue.acceptedAt.splice(0, msgs.length);
    if (queue.msgs.length <= ROOM_PENDING_LIMIT) queue.held.splice(0).forEach((release) => release());
    queue.writing = true;
    queue.lastWriteAt = now;
    const pass: Pass = { queue, frames: FrameCache.forRoomBatch(msgs), acceptedAt, members: this.#members(queue.room) };
    if (this.#writeSlice(pass)) this.#active.push(pass);
    this.#scheduleTick();
  }

  /** Writes up to SLICE members; returns true while members remain. */
  #writeSlice(pass: Pass): boolean {
    let written = 0;
    while (written < SLICE) {
      const members = pass.members[pass.members.length - 1];
      if (!members) {
        this.#finish(pass);
        return false;
      }
      const next = members.next();
      if (next.done) {
        pass.members.pop();
        continue;
      }
      // A member closed meanwhile is still handed the frame: Channel.send drops and counts it, as
      // for any push to a closed connection.
      this.#deliver(next.value, pass.frames.frameFor(next.value));
      written++;
    }
    return true;
  }

  #finish(pass: Pass): void {
    const { queue } = pass;
    queue.writing = false;
    observeAges(this.#written, pass.acceptedAt);
    if (queue.msgs.length > 0) return this.#schedule(queue);
    clearTimeout(queue.timer);
    queue.timer = undefined;
    if (this.#policy.budgetMs === 0) {
      this.#rooms.delete(queue.room);
      return;
    }
    // Remember the write until the wait has passed, so the next message still honours it.
    this.#setTimer(queue, performance.now(), this.#policy.budgetMs).unref();
  }

  #setTimer(queue: RoomQueue, now: number, waitMs: number): NodeJS.Timeout {
    clearTimeout(queue.timer);
    queue.timerAt = now + waitMs;
    queue.timer = setTimeout(() => this.#onTimer(queue), Math.max(1, Math.ceil(waitMs)));
    return queue.timer;
  }

  #scheduleTick(): void {
    if (this.#tickScheduled || this.#active.length === 0) return;
    this.#tickScheduled = true;
    setImmediate(() => this.#tick());
  }

  /** One slice of every room being written, round robin, then back to the event loop. */
  #tick(): void {
    this.#tickScheduled = false;
    const active = this.#active;
    this.#active = [];
    for (const pass of active) if (this.#writeSlice(pass)) this.#active.push(pass);
    this.#scheduleTick();
  }
}

/** Records how old each message is now (ms since logic accepted it; 0 = unknown). */
export function observeAges(histogram: Histogram, acceptedAt: readonly number[]): void {
  const now = Date.now();
  for (const ts of acceptedAt) if (ts > 0) histogram.observe(Math.max(0, now - ts) / 1000);
}
