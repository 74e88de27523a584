/**
 * Addresses of the local infrastructure started by `pnpm infra:up`. Every one is overridden by the
 * environment variable named beside it, so the services can point at a real cluster instead.
 */
export const infraDefaults = {
  /** IM_ETCD_ENDPOINTS */
  etcdEndpoints: 'http://127.0.0.1:2479',
  /** IM_REDIS_URL */
  redisUrl: 'redis://127.0.0.1:6479',
  /** IM_MYSQL_URL */
  mysqlUrl: 'mysql://im:im@127.0.0.1:3406/imcluster',
  /** IM_KAFKA_BROKERS */
  kafkaBrokers: '127.0.0.1:9192',
} as const;

/**
 * TTL of routing entries (IM_ROUTING_TTL_SEC), shared by every process: comets renew each route
 * every third of it, logic writes it. Longer than the heartbeat timeout so idle clients keep routes.
 */
export const defaultRoutingTtlSec = 660;

/** Prefix for every etcd key, Redis key, Kafka topic and consumer group (IM_NAMESPACE). Tests use a random one. */
export const defaultNamespace = 'im';
