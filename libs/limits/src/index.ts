export type { Limiter, LimitRule, LimitStore, Verdict } from './limiter.ts';
export { MemoryLimitStore } from './limiter.memory.ts';
export { limitKeyPrefix, RedisLimitStore, type RedisLimitStoreOptions } from './limiter.redis.ts';
