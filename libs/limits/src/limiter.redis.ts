import { hostPort } from '@imcluster/common';
import { Cluster, Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { FlexibleLimiter } from './flexible.ts';
import type { Limiter, LimitRule, LimitStore } from './limiter.ts';

export interface RedisLimitStoreOptions {
  /** A redis:// URL or Redis Cluster seed nodes (the store opens and closes its own client), or a client the caller owns. */
  redis: string | { clusterNodes: string[] } | Redis | Cluster;
  namespace: string;
}

/** Every key of a rule: `<namespace>:limit:<rule name>:<key>`, one string key each (any Redis Cluster slot). */
export function limitKeyPrefix(namespace: string, rule: string): string {
  return `${namespace}:limit:${rule}`;
}

/**
 * Counts in Redis, shared by every process of the cluster: one key per (rule, key), counted by an
 * atomic INCR-with-TTL script and expiring with its window or lockout. While Redis cannot be
 * reached, a take rejects (UNAVAILABLE) after one reconnect attempt.
 */
export class RedisLimitStore implements LimitStore {
  readonly #redis: Redis | Cluster;
  readonly #owned: boolean;
  readonly #namespace: string;

  constructor(options: RedisLimitStoreOptions) {
    this.#owned = typeof options.redis === 'string' || 'clusterNodes' in options.redis;
    this.#redis = ownClient(options.redis);
    this.#namespace = options.namespace;
  }

  limiter(rule: LimitRule): Limiter {
    const limiter = new RateLimiterRedis({
      storeClient: this.#redis,
      keyPrefix: limitKeyPrefix(this.#namespace, rule.name),
      points: rule.points,
      duration: rule.durationSec,
      blockDuration: rule.blockSec ?? 0,
    });
    return new FlexibleLimiter(limiter, `limit ${rule.name}`);
  }

  async close(): Promise<void> {
    if (this.#owned) this.#redis.disconnect();
  }
}

/**
 * lazyConnect: the connection opens with the first command, not here. One retry per command: a
 * login waits a moment for a reconnect, not ioredis's default 20 attempts.
 */
function ownClient(redis: RedisLimitStoreOptions['redis']): Redis | Cluster {
  const options = { lazyConnect: true, maxRetriesPerRequest: 1 };
  if (typeof redis === 'string') return new Redis(redis, options);
  if (!('clusterNodes' in redis)) return redis;
  return new Cluster(redis.clusterNodes.map(hostPort), { lazyConnect: true, redisOptions: { maxRetriesPerRequest: 1 } });
}
