import { createCometClient, unary, type CometClient, type StatsReply } from '@imcluster/proto';
import type { Registry, ServiceInstance } from '@imcluster/registry';

/** The comets found in the registry, for the node-list and online-total queries of the HTTP API. */
export class CometDirectory {
  readonly #registry: Registry;
  #instances: ServiceInstance[] = [];
  #clients = new Map<string, CometClient>();
  #stopWatch?: () => Promise<void>;

  constructor(registry: Registry) {
    this.#registry = registry;
  }

  async start(): Promise<void> {
    this.#stopWatch = await this.#registry.watch('comet', (instances) => {
      this.#instances = instances;
      for (const [address, client] of this.#clients) {
        if (instances.some((i) => i.addrs.grpc === address)) continue;
        client.close();
        this.#clients.delete(address);
      }
    });
  }

  async close(): Promise<void> {
    await this.#stopWatch?.();
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }

  get instances(): ServiceInstance[] {
    return this.#instances;
  }

  /** Stats of every live comet; comets that do not answer within the timeout are left out. */
  async stats(timeoutMs = 2000): Promise<StatsReply[]> {
    const replies = await Promise.allSettled(this.#instances.map((i) => this.#statsOf(i, timeoutMs)));
    return replies.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  }

  #statsOf(instance: ServiceInstance, timeoutMs: number): Promise<StatsReply> {
    const address = instance.addrs.grpc!;
    let client = this.#clients.get(address);
    if (!client) this.#clients.set(address, (client = createCometClient(address)));
    const c = client;
    return unary<StatsReply>((md, opts, cb) => c.stats({}, md, opts, cb), timeoutMs);
  }
}
