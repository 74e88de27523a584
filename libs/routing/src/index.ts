export type { Connection, KeyRoute, Routing } from './routing.ts';
export { keysByServer } from './routing.ts';
export { RoutingError } from './errors.ts';
export { RedisRouting, type RedisRoutingOptions } from './routing.redis.ts';
export { MemoryRouting, type MemoryRoutingOptions } from './routing.memory.ts';
