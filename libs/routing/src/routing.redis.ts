import { hostPort, withDeadline } from '@imcluster/common';
import { Cluster, Redis } from 'ioredis';
import type { Connection, KeyRoute, Routing } from './routing.ts';
import { runBatch, type Command, type RedisClient } from './batch.ts';
import { RoutingError, toRoutingError } from './errors.ts';
import { keyConn, keyRoomServers, keyServerRooms, keyServers, keyUser } from './keys.ts';
import { decodeConnRecord, decodeRoute, encodeConnRecord, encodeRoute, routeOf } from './route-codec.ts';

export interface RedisRoutingOptions {
  /**
   * A redis:// URL or the seed nodes of a Redis Cluster (`host:port` each; this adapter then owns
   * the client and quits it on close), or a ready ioredis Redis/Cluster.
   */
  redis: string | { clusterNodes: string[] } | RedisClient;
  /** Prefix of every key: `<namespace>:...`. */
  namespace: string;
  /**
   * Lifetime of every entry after its last write. Default 60. Writers (comets) must refresh() their
   * connections and renewOnline() at least every ttlSec / 3. All processes must use the same value.
   */
  ttlSec?: number;
  /**
   * Lifetime of a comet's online report (its per-room counts and its place among live comets),
   * renewed by renewOnline(). Shorter than ttlSec so a dead comet leaves the counts within
   * seconds while routes keep their longer TTL. Default: ttlSec.
   */
  reportTtlSec?: number;
  /**
   * A call that Redis has not answered within this many ms fails with RoutingError (UNAVAILABLE)
   * instead of waiting in the client's reconnect queue: callers such as auth fail fast while Redis
   * or a Redis Cluster slot is down. A call of n commands gets n ms more. Default 3,000.
   */
  timeoutMs?: number;
}

/** Members per ZADD, so one command stays small when a big room is refreshed at once. */
const membersPerZadd = 500;

/**
 * Routing tables in Redis (schema in keys.ts and docs/redis-schema.md).
 *
 * Writes are batched into pipelines of single-key commands (see batch.ts); a connection's record,
 * its user entry and its room's comet entry are separate keys written in one round trip, not atomically:
 * a reader may briefly see a connection in one table and not yet in another. Needs Redis >= 6.2
 * (GETDEL, SET ... GET, ZRANGE ... BYSCORE).
 */
export class RedisRouting implements Routing {
  readonly #redis: RedisClient;
  readonly #ownsClient: boolean;
  readonly #ns: string;
  readonly #ttlMs: number;
  readonly #reportTtlMs: number;
  readonly #timeoutMs: number;

  constructor(options: RedisRoutingOptions) {
    this.#ownsClient = typeof options.redis === 'string' || 'clusterNodes' in options.redis;
    this.#redis = ownClient(options.redis);
    this.#timeoutMs = options.timeoutMs ?? 3_000;
    this.#ns = options.namespace;
    this.#ttlMs = Math.round((options.ttlSec ?? 60) * 1_000);
    this.#reportTtlMs = Math.round((options.reportTtlSec ?? options.ttlSec ?? 60) * 1_000);
  }

  async addConnection(conn: Connection): Promise<void> {
    await this.#write(conn);
  }

  async removeConnection(conn: Connection): Promise<boolean> {
    const removed = this.#memberships(conn);
    const commands: Command[] = [['getdel', keyConn(this.#ns, conn.key)], ...removed.map(zrem)];
    const [stored] = await this.#run(commands);
    await this.#dropStale(conn.key, stored, removed);
    return typeof stored === 'string';
  }

  async changeRoom(conn: Connection): Promise<void> {
    await this.#write(conn);
  }

  /** One pipeline for the whole batch: a SET per connection, then one ZADD per user and per room's comets. */
  async refresh(server: string, alive: Connection[]): Promise<void> {
    const now = Date.now();
    const expiry = now + this.#ttlMs;
    const users = new Map<number, string[]>();
    const rooms = new Set<string>();
    const commands: Command[] = [];
    for (const conn of alive) {
      commands.push(['set', keyConn(this.#ns, conn.key), encodeConnRecord(conn), 'PX', this.#ttlMs]);
      if (conn.mid !== 0) push(users, conn.mid, encodeRoute(routeOf(conn)));
      if (conn.room) rooms.add(conn.room);
    }
    // No trim of user sets here: they only grow through addConnection, which trims them.
    for (const [mid, members] of users) commands.push(...this.#zaddLive(keyUser(this.#ns, mid), members, expiry, undefined));
    for (const room of rooms) commands.push(...this.#zaddLive(keyRoomServers(this.#ns, room), [server], expiry, now));
    await this.#run(commands);
  }

  async renewOnline(server: string, roomCount: Record<string, number>): Promise<Record<string, number>> {
    const now = Date.now();
    const expiry = now + this.#ttlMs;
    const rooms = Object.entries(roomCount).filter(([, count]) => Number.isFinite(count) && count > 0);
    const commands: Command[] = this.#zaddLive(keyServers(this.#ns), [server], now + this.#reportTtlMs, now);
    for (const [room] of rooms) commands.push(...this.#zaddLive(keyRoomServers(this.#ns, room), [server], expiry, now));
    await Promise.all([this.#replaceServerRooms(server, rooms), this.#run(commands)]);
    return this.#allRoomCounts();
  }

  async routesOfKeys(keys: string[]): Promise<KeyRoute[]> {
    const unique = [...new Set(keys)];
    const replies = await this.#run(unique.map((key): Command => ['get', keyConn(this.#ns, key)]));
    return unique.flatMap((key, i) => {
      const reply = replies[i];
      const conn = typeof reply === 'string' ? decodeConnRecord(key, reply) : undefined;
      return conn ? [routeOf(conn)] : [];
    });
  }

  async routesOfUsers(mids: number[]): Promise<KeyRoute[]> {
    const unique = [...new Set(mids)].filter((mid) => mid !== 0);
    const now = Date.now();
    const replies = await this.#run(unique.map((mid) => liveMembers(keyUser(this.#ns, mid), now)));
    return replies.flatMap(routesIn);
  }

  async serversOfRoom(room: string): Promise<string[]> {
    const [reply] = await this.#run([liveMembers(keyRoomServers(this.#ns, room), Date.now())]);
    return strings(reply);
  }

  async roomsOfServer(server: string): Promise<Record<string, number>> {
    const [reply] = await this.#run([['hgetall', keyServerRooms(this.#ns, server)]]);
    return counts(reply);
  }

  async roomCounts(rooms: string[]): Promise<Record<string, number>> {
    const all = await this.#allRoomCounts();
    return Object.fromEntries(rooms.map((room) => [room, all[room] ?? 0]));
  }

  async liveServers(): Promise<string[]> {
    const [reply] = await this.#run([liveMembers(keyServers(this.#ns), Date.now())]);
    return strings(reply);
  }

  /** A PING; fails at once while the connection is down instead of waiting in ioredis' offline queue. */
  async ping(): Promise<void> {
    const status = this.#redis.status;
    if (status !== 'ready' && status !== 'wait') throw new Error(`redis connection ${status}`);
    await withDeadline(this.#redis.ping(), this.#timeoutMs, () => this.#timedOut('ping'));
  }

  /**
   * Quits the client only if this adapter created it; a client passed in belongs to the caller. A
   * Redis that accepts but does not answer would hold QUIT forever: past the timeout the
   * connection is dropped instead.
   */
  async close(): Promise<void> {
    if (!this.#ownsClient) return;
    if (this.#redis.status === 'wait' || this.#redis.status === 'end') return this.#redis.disconnect();
    await withDeadline(this.#redis.quit(), this.#timeoutMs, () => this.#timedOut('quit')).catch(() => this.#redis.disconnect());
  }

  /**
   * Upserts a connection in every table. SET ... GET returns the record it replaces, so a user entry
   * the caller did not mention (another mid or comet for the same key) is removed too.
   */
  async #write(conn: Connection): Promise<void> {
    const now = Date.now();
    const expiry = now + this.#ttlMs;
    const member = encodeRoute(routeOf(conn));
    const commands: Command[] = [['set', keyConn(this.#ns, conn.key), encodeConnRecord(conn), 'PX', this.#ttlMs, 'GET']];
    for (const [key] of this.#memberships(conn)) commands.push(...this.#zaddLive(key, [member], expiry, now));
    if (conn.room) commands.push(...this.#zaddLive(keyRoomServers(this.#ns, conn.room), [conn.server], expiry, now));
    const [previous] = await this.#run(commands);
    await this.#dropStale(conn.key, previous, this.#memberships(conn));
  }

  /** The user set entry a connection owns (none for an anonymous viewer). */
  #memberships(conn: Connection): Membership[] {
    return conn.mid !== 0 ? [[keyUser(this.#ns, conn.mid), encodeRoute(routeOf(conn))]] : [];
  }

  /**
   * Removes the entries of the record a write replaced (`previous`) that the write neither kept nor
   * already removed: a second round trip, only when the caller's idea of the connection was stale.
   */
  async #dropStale(key: string, previous: unknown, handled: Membership[]): Promise<void> {
    const record = typeof previous === 'string' ? decodeConnRecord(key, previous) : undefined;
    if (!record) return;
    const done = new Set(handled.map(membershipId));
    const stale = this.#memberships(record).filter((m) => !done.has(membershipId(m)));
    if (stale.length) await this.#run(stale.map(zrem));
  }

  /**
   * ZADDs `members` live until `expiry`, renews the key's own expiry, and drops members expired by
   * `trimBefore` when given.
   */
  #zaddLive(key: string, members: string[], expiry: number, trimBefore: number | undefined): Command[] {
    const commands: Command[] = [];
    for (let i = 0; i < members.length; i += membersPerZadd) {
      const pairs = members.slice(i, i + membersPerZadd).flatMap((m) => [expiry, m]);
      commands.push(['zadd', key, ...pairs]);
    }
    if (trimBefore !== undefined) commands.push(['zremrangebyscore', key, '-inf', trimBefore]);
    commands.push(['pexpire', key, this.#ttlMs]);
    return commands;
  }

  /** The comet's report replaces the previous one in a single-key MULTI, so readers never see it half-written. */
  async #replaceServerRooms(server: string, rooms: [string, number][]): Promise<void> {
    const key = keyServerRooms(this.#ns, server);
    const tx = this.#redis.multi().del(key);
    if (rooms.length) tx.hset(key, Object.fromEntries(rooms)).pexpire(key, this.#reportTtlMs);
    const results = await withDeadline(tx.exec(), this.#timeoutMs, () => this.#timedOut('renewOnline')).catch((error: unknown) => {
      throw toRoutingError(error, 'renewOnline');
    });
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw toRoutingError(failed?.[0] ?? new Error('room report transaction was discarded'), 'renewOnline');
  }

  #timedOut(what: string, ms = this.#timeoutMs): RoutingError {
    return new RoutingError(`${what}: Redis did not answer within ${ms} ms`);
  }

  #run(commands: Command[]): Promise<unknown[]> {
    // Big batches (a comet refreshing all its connections) get 1 ms more per command.
    const ms = this.#timeoutMs + commands.length;
    return withDeadline(runBatch(this.#redis, commands), ms, () => this.#timedOut(commands[0]?.[0] ?? 'batch', ms));
  }

  /** Sums every live comet's last report: one HGETALL per comet (comets are few). */
  async #allRoomCounts(): Promise<Record<string, number>> {
    const servers = await this.liveServers();
    const replies = await this.#run(servers.map((s): Command => ['hgetall', keyServerRooms(this.#ns, s)]));
    const total: Record<string, number> = {};
    for (const reply of replies) {
      for (const [room, count] of Object.entries(counts(reply))) total[room] = (total[room] ?? 0) + count;
    }
    return total;
  }
}

/**
 * The client for a URL or for cluster seed nodes. lazyConnect: the connection opens with the
 * first command, not here. A Cluster pipelines automatically: each command is routed by its slot,
 * and those of one tick leave as one write per node.
 */
function ownClient(redis: RedisRoutingOptions['redis']): RedisClient {
  if (typeof redis === 'string') return new Redis(redis, { lazyConnect: true });
  if (!('clusterNodes' in redis)) return redis;
  return new Cluster(redis.clusterNodes.map(hostPort), { lazyConnect: true, enableAutoPipelining: true });
}

/** A sorted-set entry: [key, member]. */
type Membership = [key: string, member: string];

function membershipId(membership: Membership): string {
  return JSON.stringify(membership);
}

function zrem([key, member]: Membership): Command {
  return ['zrem', key, member];
}

/** Members whose expiry score is still in the future. */
function liveMembers(key: string, now: number): Command {
  return ['zrange', key, `(${now}`, '+inf', 'BYSCORE'];
}

function push<K>(map: Map<K, string[]>, key: K, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function strings(reply: unknown): string[] {
  return Array.isArray(reply) ? reply.filter((x): x is string => typeof x === 'string') : [];
}

function routesIn(reply: unknown): KeyRoute[] {
  return strings(reply).flatMap((member) => decodeRoute(member) ?? []);
}

/** HGETALL arrives as an object through ioredis' reply transformer, or as a flat array without it. */
function counts(reply: unknown): Record<string, number> {
  const entries: [string, unknown][] = [];
  if (Array.isArray(reply)) for (let i = 0; i + 1 < reply.length; i += 2) entries.push([String(reply[i]), reply[i + 1]]);
  else if (typeof reply === 'object' && reply !== null) entries.push(...Object.entries(reply));
  const out: Record<string, number> = {};
  for (const [room, value] of entries) {
    const count = Number(value);
    if (count > 0) out[room] = count;
  }
  return out;
}
