import type { Logger } from '@imcluster/common';
import type { Alive } from '@imcluster/proto';
import type { Channel } from './channel.ts';
import type { Hub } from './hub.ts';
import type { LogicPool } from './logic_pool.ts';

const ALIVE_CHUNK = 2000;

/**
 * Keeps this comet's presence in the routing tables fresh through logic, in batches rather than
 * one call per heartbeat: every open connection is alive (the sweeper closes silent ones), so each
 * has its route renewed once per `renewRouteMs` (a third of the routing TTL), spread over the
 * flushes. The per-room counts are reported and exchanged for the cluster-wide counts that
 * heartbeat replies carry.
 */
export class PresenceReporter {
  #hub: Hub;
  #logic: LogicPool;
  #serverId: string;
  #aliveFlushMs: number;
  #renewRouteMs: number;
  #renewOnlineMs: number;
  #logger: Logger;
  #allRoomCount: Record<string, number> = {};
  #timers = new Map<string, NodeJS.Timeout>();
  #running = false;

  constructor(opts: { hub: Hub; logic: LogicPool; serverId: string; aliveFlushMs: number; renewRouteMs: number; renewOnlineMs: number; logger: Logger }) {
    this.#renewRouteMs = opts.renewRouteMs;
    this.#hub = opts.hub;
    this.#logic = opts.logic;
    this.#serverId = opts.serverId;
    this.#aliveFlushMs = opts.aliveFlushMs;
    this.#renewOnlineMs = opts.renewOnlineMs;
    this.#logger = opts.logger;
  }

  start(): void {
    this.#running = true;
    this.#loop('alive', () => this.flushAlive(), this.#aliveFlushMs);
    this.#loop('online', () => this.renewOnline(), this.#renewOnlineMs);
  }

  stop(): void {
    this.#running = false;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Cluster-wide member count of a room as of the last renewal (this comet's own count before the first). */
  roomCount(room: string): number {
    return this.#allRoomCount[room] ?? this.#hub.roomCounts()[room] ?? 0;
  }

  async flushAlive(): Promise<void> {
    const now = Date.now();
    const dirty: Channel[] = [];
    for (const channel of this.#hub.channels()) {
      if (now - channel.routeRenewedAt < this.#renewRouteMs) continue;
      channel.routeRenewedAt = now;
      dirty.push(channel);
    }
    for (let i = 0; i < dirty.length; i += ALIVE_CHUNK) {
      const chunk = dirty.slice(i, i + ALIVE_CHUNK);
      const alive: Alive[] = chunk.map((c) => ({ mid: c.identity.mid, key: c.key, room: c.identity.room }));
      try {
        await this.#logic.call((c, md, opts, cb) => c.heartbeat({ server: this.#serverId, alive }, md, opts, cb));
      } catch (error) {
        // Not recorded: report these again next time rather than let their routes expire.
        for (const channel of dirty.slice(i)) channel.routeRenewedAt = 0;
        throw error;
      }
    }
  }

  async renewOnline(): Promise<void> {
    const req = { server: this.#serverId, roomCount: this.#hub.roomCounts() };
    const reply = await this.#logic.call<{ allRoomCount: Record<string, number> }>((c, md, opts, cb) => c.renewOnline(req, md, opts, cb));
    this.#allRoomCount = reply.allRoomCount;
  }

  // Sequential loop: the next run is scheduled after the previous one finished, so slow logic
  // never piles up calls.
  #loop(name: string, task: () => Promise<void>, everyMs: number): void {
    const run = async () => {
      try {
        await task();
      } catch (error) {
        this.#logger.warn({ err: error }, 'presence report failed; will retry');
      }
      if (this.#running) this.#timers.set(name, setTimeout(run, everyMs));
    };
    this.#timers.set(name, setTimeout(run, everyMs));
  }
}
