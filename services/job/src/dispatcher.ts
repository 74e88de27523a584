import type { Histogram, JobMetrics, JobPushKind } from '@imcluster/metrics';
import type { ChatRef, Message, PushMsg__Output } from '@imcluster/proto';
import { keysByServer, type KeyRoute, type Routing } from '@imcluster/routing';
import type { CometPool } from './comet_pool.ts';
import { HandedOn } from './handed_on.ts';
import { RoomBatcher } from './room_batcher.ts';
import { settled } from './settled.ts';

/** Counters of what this job handed on (logged periodically, read by tests through logs). */
export interface DispatchStats {
  messages: number;
  roomBatches: number;
  skippedComets: number;
  /** Pushes left out for a comet that had accepted them before (a redelivered batch). */
  alreadyHandedOn: number;
}

/** A room message with the id of the push it came from. */
interface RoomItem {
  id: string;
  msg: Message;
}

const KINDS: Record<string, JobPushKind> = { KEYS: 'keys', MIDS: 'mids', ROOM: 'room', BROADCAST: 'broadcast' };

/**
 * Turns one push from the queue into calls on exactly the comets that hold its receivers:
 * key and user pushes go to the comets of those connections, room pushes (batched) to the comets
 * with members in the room, broadcasts to every comet. A comet that accepted a push is remembered,
 * so a batch redelivered after a failure elsewhere does not reach it twice.
 */
export class Dispatcher {
  readonly #routing: Routing;
  readonly #comets: CometPool;
  readonly #rooms: RoomBatcher<RoomItem>;
  readonly #metrics: JobMetrics;
  readonly #handedOn = new HandedOn();

  constructor(opts: { routing: Routing; comets: CometPool; roomBatchMs: number; roomBatchMax: number; metrics: JobMetrics }) {
    this.#routing = opts.routing;
    this.#comets = opts.comets;
    this.#metrics = opts.metrics;
    this.#rooms = new RoomBatcher({ windowMs: opts.roomBatchMs, max: opts.roomBatchMax, send: (room, items) => this.#sendRoom(room, items) });
  }

  /** Totals since start, from the job's metrics. */
  get stats(): DispatchStats {
    const m = this.#metrics;
    const messages = m.pushes.keys.value + m.pushes.mids.value + m.pushes.room.value + m.pushes.broadcast.value;
    return { messages, roomBatches: m.roomBatches.value, skippedComets: m.skippedComets.value, alreadyHandedOn: m.alreadyHandedOn.value };
  }

  /** Resolves once every comet that needed the push accepted it; times the hand-off. */
  async dispatch(push: PushMsg__Output): Promise<void> {
    const kind = KINDS[push.type] ?? 'broadcast';
    this.#metrics.pushes[kind].inc();
    const handedOff = this.#metrics.handoffSeconds[kind].startTimer();
    await this.#handOff(push);
    handedOff();
    if (push.ts > 0) this.#metrics.pushAgeSeconds.observe(Math.max(0, Date.now() - push.ts) / 1000);
  }

  #handOff(push: PushMsg__Output): Promise<void> {
    const msg: Message = { op: push.operation, body: push.msg, ts: push.ts };
    switch (push.type) {
      case 'ROOM':
        return this.#rooms.add(push.room, { id: push.id, msg });
      case 'KEYS':
        return this.#routing.routesOfKeys(push.keys).then((routes) => this.#sendKeys(push.id, routes, msg, push.force));
      case 'MIDS':
        return this.#routing.routesOfUsers(push.mids.map(Number)).then((routes) => this.#sendKeys(push.id, routes, msg, push.force, push.chat));
      default:
        return this.#broadcast(push.id, msg, push.speed);
    }
  }

  flush(): void {
    this.#rooms.flushAll();
  }

  async #sendKeys(id: string, routes: KeyRoute[], msg: Message, force: boolean, chat: ChatRef | null = null): Promise<void> {
    await settled([...keysByServer(routes)].map(([server, keys]) => this.#once(id, server, () => this.#comets.push(server, { keys: { keys, msg, force, chat } }))));
  }

  async #sendRoom(room: string, items: RoomItem[]): Promise<void> {
    this.#metrics.roomBatches.inc();
    this.#metrics.roomBatchMessages.observe(items.length);
    this.#observeAges(this.#metrics.roomAgeSeconds.flushed, items);
    const servers = await this.#routing.serversOfRoom(room);
    await settled(
      servers.map((server) => {
        const fresh = items.filter((item) => !this.#handedOn.has(item.id, server));
        this.#metrics.alreadyHandedOn.inc(items.length - fresh.length);
        if (fresh.length === 0) return undefined;
        const msgs = fresh.map((item) => item.msg);
        return this.#handOver(fresh.map((item) => item.id), server, () => this.#comets.push(server, { room: { room, msgs } }));
      }),
    );
    this.#observeAges(this.#metrics.roomAgeSeconds.handed, items);
  }

  #observeAges(histogram: Histogram, items: RoomItem[]): void {
    const now = Date.now();
    for (const { msg } of items) if (Number(msg.ts) > 0) histogram.observe(Math.max(0, now - Number(msg.ts)) / 1000);
  }

  async #broadcast(id: string, msg: Message, speed: number): Promise<void> {
    const ids = this.#comets.ids();
    // goim's pacing is for the whole cluster: each comet takes its share.
    const perComet = speed > 0 ? Math.max(1, Math.ceil(speed / Math.max(1, ids.length))) : 0;
    await settled(ids.map((server) => this.#once(id, server, () => this.#comets.call(server, (c, md, opts, cb) => c.broadcast({ msg, speed: perComet }, md, opts, cb)))));
  }

  /** One push to one comet, unless that comet accepted it already. */
  #once(pushId: string, server: string, send: () => Promise<boolean>): Promise<void> | undefined {
    if (this.#handedOn.has(pushId, server)) {
      this.#metrics.alreadyHandedOn.inc();
      return undefined;
    }
    return this.#handOver([pushId], server, send);
  }

  /** Runs `send` unless the comet is gone or suspended; remembers the pushes the comet accepted. */
  async #handOver(pushIds: string[], server: string, send: () => Promise<boolean>): Promise<void> {
    if (!this.#comets.has(server)) {
      this.#metrics.skippedComets.inc();
      return;
    }
    if (await send()) this.#handedOn.add(pushIds, server);
  }
}
