import type { Connection, KeyRoute, Routing } from './routing.ts';
import { routeOf } from './route-codec.ts';

export interface MemoryRoutingOptions {
  /** Lifetime of every entry after its last write, as in Redis. Default 60. */
  ttlSec?: number;
  /** Lifetime of a comet's online report; see RedisRoutingOptions.reportTtlSec. Default: ttlSec. */
  reportTtlSec?: number;
  /** How often expired entries are dropped from memory. Default: every ttl. */
  sweepIntervalMs?: number;
}

interface Stamped<T> {
  value: T;
  expiry: number;
}

/**
 * Routing tables for the single-process mode: one instance shared by every role of the process.
 *
 * Same contract and TTL rules as the Redis adapter: every entry carries an expiry checked on each
 * read. A sweep timer, started by the first write and stopped by close(), frees expired entries; it
 * is unref'd so it never keeps the process alive. A user's connections are derived from the
 * connection records, so they expire with them.
 */
export class MemoryRouting implements Routing {
  readonly #ttlMs: number;
  readonly #reportTtlMs: number;
  readonly #sweepMs: number;
  readonly #conns = new Map<string, Stamped<Connection>>();
  readonly #users = new Map<number, Set<string>>();
  readonly #roomServers = new Map<string, Map<string, number>>();
  readonly #serverRooms = new Map<string, Stamped<Record<string, number>>>();
  readonly #servers = new Map<string, number>();
  #sweeper: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: MemoryRoutingOptions = {}) {
    this.#ttlMs = Math.round((options.ttlSec ?? 60) * 1_000);
    this.#reportTtlMs = Math.round((options.reportTtlSec ?? options.ttlSec ?? 60) * 1_000);
    this.#sweepMs = options.sweepIntervalMs ?? this.#ttlMs;
  }

  async addConnection(conn: Connection): Promise<void> {
    this.#put(conn, Date.now() + this.#ttlMs);
  }

  async removeConnection(conn: Connection): Promise<boolean> {
    const known = this.#live(conn.key) !== undefined;
    this.#drop(conn.key);
    return known;
  }

  async changeRoom(conn: Connection): Promise<void> {
    this.#put(conn, Date.now() + this.#ttlMs);
  }

  async refresh(server: string, alive: Connection[]): Promise<void> {
    const expiry = Date.now() + this.#ttlMs;
    for (const conn of alive) this.#put({ ...conn, server: conn.server || server }, expiry);
  }

  async renewOnline(server: string, roomCount: Record<string, number>): Promise<Record<string, number>> {
    const expiry = Date.now() + this.#ttlMs;
    const rooms = Object.entries(roomCount).filter(([, count]) => Number.isFinite(count) && count > 0);
    const reportExpiry = Date.now() + this.#reportTtlMs;
    this.#serverRooms.set(server, { value: Object.fromEntries(rooms), expiry: reportExpiry });
    this.#servers.set(server, reportExpiry);
    for (const [room] of rooms) this.#stampRoomServer(room, server, expiry);
    this.#startSweeping();
    return this.#allRoomCounts();
  }

  async routesOfKeys(keys: string[]): Promise<KeyRoute[]> {
    return [...new Set(keys)].flatMap((key) => {
      const conn = this.#live(key);
      return conn ? [routeOf(conn)] : [];
    });
  }

  async routesOfUsers(mids: number[]): Promise<KeyRoute[]> {
    return [...new Set(mids)].filter((mid) => mid !== 0).flatMap((mid) => this.#routesIn(this.#users.get(mid)));
  }

  async serversOfRoom(room: string): Promise<string[]> {
    return liveKeys(this.#roomServers.get(room), Date.now());
  }

  async roomsOfServer(server: string): Promise<Record<string, number>> {
    const report = this.#serverRooms.get(server);
    return report && report.expiry > Date.now() ? { ...report.value } : {};
  }

  async roomCounts(rooms: string[]): Promise<Record<string, number>> {
    const all = this.#allRoomCounts();
    return Object.fromEntries(rooms.map((room) => [room, all[room] ?? 0]));
  }

  async liveServers(): Promise<string[]> {
    return liveKeys(this.#servers, Date.now());
  }

  async ping(): Promise<void> {}

  /** Stops the sweep timer; the tables stay readable. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }

  /** Upserts a connection record, its user index and its room's comet, replacing whatever the key had before. */
  #put(conn: Connection, expiry: number): void {
    this.#drop(conn.key);
    this.#conns.set(conn.key, { value: { ...conn }, expiry });
    if (conn.mid !== 0) addTo(this.#users, conn.mid, conn.key);
    if (conn.room) this.#stampRoomServer(conn.room, conn.server, expiry);
    this.#startSweeping();
  }

  #drop(key: string): void {
    const entry = this.#conns.get(key);
    if (!entry) return;
    this.#conns.delete(key);
    removeFrom(this.#users, entry.value.mid, key);
  }

  #live(key: string): Connection | undefined {
    const entry = this.#conns.get(key);
    return entry && entry.expiry > Date.now() ? entry.value : undefined;
  }

  #routesIn(keys: Set<string> | undefined): KeyRoute[] {
    return [...(keys ?? [])].flatMap((key) => {
      const conn = this.#live(key);
      return conn ? [routeOf(conn)] : [];
    });
  }

  #stampRoomServer(room: string, server: string, expiry: number): void {
    let servers = this.#roomServers.get(room);
    if (!servers) {
      servers = new Map();
      this.#roomServers.set(room, servers);
    }
    servers.set(server, Math.max(expiry, servers.get(server) ?? 0));
  }

  #allRoomCounts(): Record<string, number> {
    const now = Date.now();
    const total: Record<string, number> = {};
    for (const server of liveKeys(this.#servers, now)) {
      const report = this.#serverRooms.get(server);
      if (!report || report.expiry <= now) continue;
      for (const [room, count] of Object.entries(report.value)) total[room] = (total[room] ?? 0) + count;
    }
    return total;
  }

  #startSweeping(): void {
    if (this.#sweeper || this.#closed) return;
    this.#sweeper = setInterval(() => this.#sweep(), this.#sweepMs);
    this.#sweeper.unref();
  }

  /** Frees what reads already ignore. */
  #sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#conns) if (entry.expiry <= now) this.#drop(key);
    for (const [room, servers] of this.#roomServers) {
      dropExpired(servers, now);
      if (servers.size === 0) this.#roomServers.delete(room);
    }
    for (const [server, report] of this.#serverRooms) if (report.expiry <= now) this.#serverRooms.delete(server);
    dropExpired(this.#servers, now);
  }
}

function liveKeys<K>(expiries: Map<K, number> | undefined, now: number): K[] {
  return [...(expiries ?? [])].filter(([, expiry]) => expiry > now).map(([key]) => key);
}

function dropExpired<K>(expiries: Map<K, number>, now: number): void {
  for (const [key, expiry] of expiries) if (expiry <= now) expiries.delete(key);
}

function addTo<K>(index: Map<K, Set<string>>, at: K, key: string): void {
  let keys = index.get(at);
  if (!keys) {
    keys = new Set();
    index.set(at, keys);
  }
  keys.add(key);
}

function removeFrom<K>(index: Map<K, Set<string>>, at: K, key: string): void {
  const keys = index.get(at);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(at);
}
