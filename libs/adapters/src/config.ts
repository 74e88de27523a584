import { defaultNamespace, defaultRoutingTtlSec, infraDefaults, parseEnv, splitList, z } from '@imcluster/common';

/**
 * Which adapter fills each role. IM_MODE picks the defaults: `cluster` uses the real services at
 * the addresses `pnpm infra:up` starts; `standalone` uses the embedded adapters. Setting a role's
 * own variable overrides the mode for that role, so embedded and real adapters can be mixed; the
 * value `memory` asks for the embedded adapter explicitly.
 */
export const adapterSettings = z.object({
  IM_MODE: z.enum(['cluster', 'standalone']).default('cluster'),
  /** Prefix of every etcd key, Redis key, Kafka topic and consumer group. */
  IM_NAMESPACE: z.string().regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, _ and -').default(defaultNamespace),
  IM_ETCD_ENDPOINTS: orMemory(listOf(/^https?:\/\/[^\s/]+(:\d+)?\/?$/), 'comma-separated http://host:port endpoints, or memory'),
  IM_REDIS_URL: orMemory(url('redis:', 'rediss:'), 'a redis:// or rediss:// URL, or memory'),
  /** Seed nodes of a Redis Cluster; when set, routing uses the cluster and IM_REDIS_URL is not read. */
  IM_REDIS_CLUSTER_NODES: z
    .string()
    .refine(listOf(/^[^\s:/,]+:\d+$/), 'comma-separated host:port nodes of a Redis Cluster')
    .optional(),
  /** A routing call Redis has not answered within this many ms fails (auth answers 3004) instead of waiting. */
  IM_REDIS_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  IM_MYSQL_URL: orMemory(url('mysql:'), 'a mysql://user:password@host:port/database URL, or memory'),
  IM_KAFKA_BROKERS: orMemory(listOf(/^[^\s:/]+:\d+$/), 'comma-separated host:port brokers, or memory'),
  /** Where the embedded storage keeps its database file. */
  IM_DATA_DIR: z.string().default('./data'),
  /** Lease TTL of registrations: a process that dies leaves the registry within this time. */
  IM_REGISTRY_TTL_SEC: z.coerce.number().int().min(1).default(10),
  /** TTL of routing entries not refreshed by heartbeats or online reports. */
  IM_ROUTING_TTL_SEC: z.coerce.number().int().min(1).default(defaultRoutingTtlSec),
  /** Lifetime of a comet's online report (room counts); comets report every IM_COMET_RENEW_ONLINE_MS. */
  IM_ONLINE_REPORT_TTL_SEC: z.coerce.number().int().min(1).default(30),
  /** Partitions of the push topic, created when missing: the most job processes that share the work. */
  IM_KAFKA_PARTITIONS: z.coerce.number().int().min(1).default(16),
});

function orMemory(check: (value: string) => boolean, allowed: string) {
  return z
    .string()
    .refine((v) => v === 'memory' || check(v), allowed)
    .optional();
}

function url(...protocols: string[]): (value: string) => boolean {
  return (value) => URL.canParse(value) && protocols.includes(new URL(value).protocol);
}

function listOf(item: RegExp): (value: string) => boolean {
  return (value) => splitList(value).length > 0 && splitList(value).every((x) => item.test(x));
}

export type Backend<Real> = { kind: 'memory' } | ({ kind: 'real' } & Real);

export interface AdapterConfig {
  mode: 'cluster' | 'standalone';
  namespace: string;
  registry: Backend<{ endpoints: string[] }>;
  /** One Redis (`url`) or a Redis Cluster (`cluster`: seed nodes). */
  routing: Backend<{ url: string } | { cluster: string[] }>;
  routingTimeoutMs: number;
  queue: Backend<{ brokers: string[] }>;
  storage: { kind: 'sqlite'; path: string } | { kind: 'mysql'; url: string };
  registryTtlSec: number;
  routingTtlSec: number;
  onlineReportTtlSec: number;
  partitions: number;
  /** Kafka topic of pushes. */
  pushTopic: string;
  /** Kafka consumer group of the job processes. */
  jobGroup: string;
}

function pick<Real>(value: string | undefined, fallback: string, mode: AdapterConfig['mode'], real: (v: string) => Real): Backend<Real> {
  const chosen = value ?? (mode === 'standalone' ? 'memory' : fallback);
  return chosen === 'memory' ? { kind: 'memory' } : { kind: 'real', ...real(chosen) };
}

/** The adapter choice from already parsed settings (see parseEnv, which a process runs once). */
export function adapterConfig(raw: z.infer<typeof adapterSettings>): AdapterConfig {
  const mode = raw.IM_MODE;
  const mysqlUrl = raw.IM_MYSQL_URL ?? (mode === 'cluster' ? infraDefaults.mysqlUrl : undefined);
  return {
    mode,
    namespace: raw.IM_NAMESPACE,
    registry: pick(raw.IM_ETCD_ENDPOINTS, infraDefaults.etcdEndpoints, mode, (v) => ({ endpoints: splitList(v) })),
    routing: raw.IM_REDIS_CLUSTER_NODES
      ? { kind: 'real', cluster: splitList(raw.IM_REDIS_CLUSTER_NODES) }
      : pick(raw.IM_REDIS_URL, infraDefaults.redisUrl, mode, (v) => ({ url: v })),
    routingTimeoutMs: raw.IM_REDIS_TIMEOUT_MS,
    queue: pick(raw.IM_KAFKA_BROKERS, infraDefaults.kafkaBrokers, mode, (v) => ({ brokers: splitList(v) })),
    storage: mysqlUrl && mysqlUrl !== 'memory' ? { kind: 'mysql', url: mysqlUrl } : { kind: 'sqlite', path: `${raw.IM_DATA_DIR}/imcluster.db` },
    registryTtlSec: raw.IM_REGISTRY_TTL_SEC,
    routingTtlSec: raw.IM_ROUTING_TTL_SEC,
    onlineReportTtlSec: raw.IM_ONLINE_REPORT_TTL_SEC,
    partitions: raw.IM_KAFKA_PARTITIONS,
    pushTopic: `${raw.IM_NAMESPACE}-push`,
    jobGroup: `${raw.IM_NAMESPACE}-job`,
  };
}

export function loadAdapterConfig(env: Record<string, string | undefined> = process.env): AdapterConfig {
  return adapterConfig(parseEnv(env, adapterSettings));
}

export { z };
