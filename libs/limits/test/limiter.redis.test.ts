import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { infraDefaults } from '@imcluster/common';
import { limitKeyPrefix, RedisLimitStore } from '../src/limiter.redis.ts';
import { limiterContract } from './limiter.contract.ts';

const redisUrl = process.env.IM_REDIS_URL ?? infraDefaults.redisUrl;
const admin = new Redis(redisUrl);
after(() => admin.quit());

const namespace = () => `t${randomBytes(5).toString('hex')}`;

limiterContract('redis', (t) => {
  const store = new RedisLimitStore({ redis: redisUrl, namespace: namespace() });
  t.after(() => store.close());
  return store;
});

describe('RedisLimitStore (redis specifics)', () => {
  it('keeps one key per rule and key, under the namespace, with a TTL', async (t) => {
    const ns = namespace();
    const store = new RedisLimitStore({ redis: redisUrl, namespace: ns });
    t.after(() => store.close());
    await store.limiter({ name: 'login', points: 5, durationSec: 60 }).take('10.0.0.1');
    const keys = await admin.keys(`${ns}:*`);
    assert.deepEqual(keys, [`${limitKeyPrefix(ns, 'login')}:10.0.0.1`]);
    const ttl = await admin.pttl(keys[0]!);
    assert.ok(ttl > 55_000 && ttl <= 60_000, `PTTL ${ttl}`);
    await admin.del(...keys);
  });

  it('rejects with UNAVAILABLE when Redis cannot be reached, never allows', async (t) => {
    const store = new RedisLimitStore({ redis: 'redis://127.0.0.1:1', namespace: namespace() });
    t.after(() => store.close());
    await assert.rejects(store.limiter({ name: 'login', points: 5, durationSec: 60 }).take('x'), (error: { code?: string }) => error.code === 'UNAVAILABLE');
  });
});
