import type { JobMetrics, JobPushKind } from '@imcluster/metrics';
import type { CometClient, Message, PushMsg__Output, UnaryInvoker } from '@imcluster/proto';
import type { KeyRoute, Routing } from '@imcluster/routing';
import type { CometPool } from './comet_pool.ts';
import { RoomBatcher } from './room_batcher.ts';

/** Counters of what this job handed on (logged periodically, read by tests through logs). */
export interface DispatchStats {
  messages: number;
  roomBatches: number;
  skippedComets: number;
}

const KINDS: Record<string, JobPushKind> = { KEYS: 'keys', MIDS: 'mids', ROOM: 'room', BROADCAST: 'broadcast' };

/**
 * Turns one push from the queue into calls on exactly the comets that hold its receivers:
 * key and user pushes go to the comets of those connections, room pushes (batched) to the comets
 * with members in the room, broadcasts to every comet.
 */
export class Dispatcher {
  readonly #routing: Routing;
  readonly #comets: CometPool;
  readonly #rooms: RoomBatcher;
  readonly #metrics: JobMetrics;

  constructor(opts: { routing: Routing; comets: CometPool; roomBatchMs: number; roomBatchMax: number; metrics: JobMetrics }) {
    this.#routing = opts.routing;
    this.#comets = opts.comets;
    this.#metrics = opts.metrics;
    this.#rooms = new RoomBatcher({ windowMs: opts.roomBatchMs, max: opts.roomBatchMax, send: (room, msgs) => this.#sendRoom(room, msgs) });
  }

  /** Totals since start, from the job's metrics. */
  get stats(): DispatchStats {
    const m = this.#metrics;
    const messages = m.pushes.keys.value + m.pushes.mids.value + m.pushes.room.value + m.pushes.broadcast.value;
    return { messages, roomBatches: m.roomBatches.value, skippedComets: m.skippedComets.value };
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
        return this.#rooms.add(push.room, msg);
      case 'KEYS':
        return this.#routing.routesOfKeys(push.keys).then((routes) => this.#sendKeys(routes, msg, push.force));
      case 'MIDS':
        return this.#routing.routesOfUsers(push.mids.map(Number)).then((routes) => this.#sendKeys(routes, msg, push.force));
      default:
        return this.#broadcast(msg, push.speed);
    }
  }

  flush(): void {
    this.#rooms.flushAll();
  }

  async #sendKeys(routes: KeyRoute[], msg: Message, force: boolean): Promise<void> {
    const byServer = new Map<string, string[]>();
    for (const route of routes) {
      const keys = byServer.get(route.server);
      if (keys) keys.push(route.key);
      else byServer.set(route.server, [route.key]);
    }
    await Promise.all(
      [...byServer].map(([server, keys]) => this.#call(server, (c, md, opts, cb) => c.pushKeys({ keys, msg, force }, md, opts, cb))),
    );
  }

  async #sendRoom(room: string, msgs: Message[]): Promise<void> {
    this.#metrics.roomBatches.inc();
    this.#metrics.roomBatchMessages.observe(msgs.length);
    const servers = await this.#routing.serversOfRoom(room);
    await Promise.all(servers.map((server) => this.#call(server, (c, md, opts, cb) => c.broadcastRoom({ room, msgs }, md, opts, cb))));
  }

  async #broadcast(msg: Message, speed: number): Promise<void> {
    const ids = this.#comets.ids();
    // goim's pacing is for the whole cluster: each comet takes its share.
    const perComet = speed > 0 ? Math.max(1, Math.ceil(speed / Math.max(1, ids.length))) : 0;
    await Promise.all(ids.map((id) => this.#call(id, (c, md, opts, cb) => c.broadcast({ msg, speed: perComet }, md, opts, cb))));
  }

  async #call(server: string, invoke: (client: CometClient, ...rest: Parameters<UnaryInvoker<unknown>>) => unknown): Promise<void> {
    if (!this.#comets.has(server)) {
      this.#metrics.skippedComets.inc();
      return;
    }
    await this.#comets.call(server, invoke);
  }
}
