import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger } from '@imcluster/common';
import { MemoryLimitStore, RedisLimitStore, type LimitStore } from '@imcluster/limits';
import { KafkaQueue, MemoryQueue, type Queue } from '@imcluster/queue';
import { EtcdRegistry, MemoryRegistry, type Registry } from '@imcluster/registry';
import { MemoryRouting, RedisRouting, type Routing } from '@imcluster/routing';
import { MysqlStorage, SqliteStorage, type Storage } from '@imcluster/storage';
import type { AdapterConfig } from './config.ts';

/** The four roles a service may depend on, filled by the adapters the configuration chose. */
export interface Adapters {
  registry: Registry;
  routing: Routing;
  queue: Queue;
  storage: Storage;
  /** Rate-limit counts: in the routing role's Redis (shared by the cluster), else in memory. */
  limits: LimitStore;
  close(): Promise<void>;
}

export function createRegistry(config: AdapterConfig, logger: Logger): Registry {
  const r = config.registry;
  if (r.kind === 'memory') return new MemoryRegistry({ logger });
  return new EtcdRegistry({ endpoints: r.endpoints, namespace: config.namespace, ttlSec: config.registryTtlSec, logger });
}

export function createRouting(config: AdapterConfig): Routing {
  const r = config.routing;
  const ttls = { ttlSec: config.routingTtlSec, reportTtlSec: config.onlineReportTtlSec };
  if (r.kind === 'memory') return new MemoryRouting(ttls);
  return new RedisRouting({ redis: 'cluster' in r ? { clusterNodes: r.cluster } : r.url, namespace: config.namespace, timeoutMs: config.routingTimeoutMs, ...ttls });
}

export function createQueue(config: AdapterConfig, clientId: string, logger: Logger, partitionsConcurrency?: number): Queue {
  const q = config.queue;
  if (q.kind === 'memory') return new MemoryQueue({ logger });
  return new KafkaQueue({ brokers: q.brokers, clientId, logger, ...(partitionsConcurrency ? { consumer: { partitionsConsumedConcurrently: partitionsConcurrency } } : {}) });
}

function createLimits(config: AdapterConfig): LimitStore {
  const r = config.routing;
  return r.kind === 'memory' ? new MemoryLimitStore() : new RedisLimitStore({ redis: 'cluster' in r ? { clusterNodes: r.cluster } : r.url, namespace: config.namespace });
}

function createStorage(config: AdapterConfig, logger: Logger): Storage {
  const s = config.storage;
  if (s.kind === 'mysql') return new MysqlStorage({ url: s.url, logger });
  const path = resolve(s.path);
  mkdirSync(dirname(path), { recursive: true });
  return new SqliteStorage({ url: `file:${path}`, logger });
}

/** Every role at once; standalone mode builds one bag and shares it among comet, logic and job. */
export function createAdapters(config: AdapterConfig, clientId: string, logger: Logger): Adapters {
  const adapters = {
    registry: createRegistry(config, logger),
    routing: createRouting(config),
    queue: createQueue(config, clientId, logger),
    storage: createStorage(config, logger),
    limits: createLimits(config),
  };
  return {
    ...adapters,
    async close() {
      await Promise.allSettled([adapters.queue.close(), adapters.routing.close(), adapters.storage.close(), adapters.limits.close()]);
      await adapters.registry.close();
    },
  };
}

/** One line per role saying which adapter fills it, for start-up banners. */
export function describeAdapters(config: AdapterConfig): Record<string, string> {
  const { registry, routing, queue, storage } = config;
  return {
    registry: registry.kind === 'memory' ? 'embedded (in-process)' : `etcd ${registry.endpoints.join(',')}`,
    routing: routing.kind === 'memory' ? 'embedded (in-memory, TTLs)' : 'cluster' in routing ? `redis cluster ${routing.cluster.join(',')}` : `redis ${routing.url}`,
    queue: queue.kind === 'memory' ? 'embedded (in-process)' : `kafka ${queue.brokers.join(',')}`,
    storage: storage.kind === 'sqlite' ? `embedded sqlite ${resolve(storage.path)}` : `mysql ${storage.url.replace(/:[^:@/]*@/, ':***@')}`,
  };
}
