import { Redis } from 'ioredis';
import { infraDefaults } from '@imcluster/common';

/** A Redis client for tests that inspect the routing tables directly; closed after the test. */
export function testRedis(t: { after(fn: () => unknown): void }): Redis {
  const redis = new Redis(process.env.IM_REDIS_URL ?? infraDefaults.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  t.after(() => redis.quit());
  return redis;
}

/** Every key of a namespace, sorted. */
export async function keysOf(redis: Redis, namespace: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}
