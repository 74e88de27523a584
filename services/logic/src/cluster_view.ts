import { parseMetrics, sumOf, type Sample } from '@imcluster/metrics';
import type { Registry, ServiceInstance } from '@imcluster/registry';
import type { ClusterSnapshot, ProcessView, Totals } from '@imcluster/web';

/** The roles that register, in the order the console lists them. */
const SERVICES = ['comet', 'logic', 'job'] as const;

/** Where a role's /metrics answers: its own metrics port, or (logic) its HTTP API port. */
const metricsAddress = (instance: ServiceInstance): string | undefined => instance.addrs.metrics ?? (instance.service === 'logic' ? instance.addrs.http : undefined);

function totalsOf(samples: Sample[]): Totals {
  return {
    connections: sumOf(samples, 'imcluster_comet_connections'),
    pushes: sumOf(samples, 'imcluster_logic_pushes_total'),
    deliveries: sumOf(samples, 'imcluster_comet_frames_written_total'),
    drops: sumOf(samples, 'imcluster_comet_frames_dropped_total'),
    slowCloses: sumOf(samples, 'imcluster_comet_slow_consumer_closes_total'),
    chatSends: sumOf(samples, 'imcluster_chat_requests_total', { op: 'send' }),
    chatAcks: sumOf(samples, 'imcluster_chat_requests_total', { op: 'ack' }),
    lag: sumOf(samples, 'imcluster_job_consumer_lag_messages'),
  };
}

/**
 * What the operator console shows: every process registered in the namespace, with what its own
 * /metrics says, and the cluster's totals. Each distinct metrics address is read once per
 * snapshot (a standalone node's three roles share one), so totals count every process once.
 */
export class ClusterView {
  readonly #registry: Registry;
  readonly #timeoutMs: number;

  constructor(registry: Registry, timeoutMs = 1500) {
    this.#registry = registry;
    this.#timeoutMs = timeoutMs;
  }

  async snapshot(): Promise<ClusterSnapshot> {
    const instances = (await Promise.all(SERVICES.map((service) => this.#registry.list(service)))).flat();
    const addresses = [...new Set(instances.map(metricsAddress).filter((a) => a !== undefined))];
    const scraped = new Map(await Promise.all(addresses.map(async (address) => [address, await this.#scrape(address)] as const)));
    const totals = totalsOf([...scraped.values()].flatMap((s) => (Array.isArray(s) ? s : [])));
    const processes = instances.map((instance) => {
      const address = metricsAddress(instance);
      return viewOf(instance, address === undefined ? 'no metrics address registered' : scraped.get(address)!);
    });
    return { at: Date.now(), processes, totals };
  }

  async #scrape(address: string): Promise<Sample[] | string> {
    try {
      const res = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(this.#timeoutMs) });
      if (res.status !== 200) return `/metrics answered ${res.status}`;
      return parseMetrics(await res.text());
    } catch (error) {
      return `/metrics unreachable: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

/** One process's row: its registration, and from its samples its lease and (comet) connections. */
function viewOf(instance: ServiceInstance, samples: Sample[] | string): ProcessView {
  const base = { service: instance.service, id: instance.id, addrs: instance.addrs, ...(instance.meta ? { meta: instance.meta } : {}) };
  if (typeof samples === 'string') return { ...base, lease: 'unknown', error: samples };
  const held = samples.find((s) => s.name === 'imcluster_registry_lease_held' && s.labels.service === instance.service);
  const lease = held === undefined ? 'unknown' : held.value === 1 ? 'held' : 'lost';
  return { ...base, lease, ...(instance.service === 'comet' ? { connections: sumOf(samples, 'imcluster_comet_connections') } : {}) };
}
