import type { Logger } from '@imcluster/common';
import { createCometClient, unary, type CometClient, type UnaryInvoker } from '@imcluster/proto';
import type { Registry, ServiceInstance } from '@imcluster/registry';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The comets currently in the registry, with one gRPC client each. A comet that leaves the
 * registry (drained, or its lease expired) is dropped: pushes for it are skipped, since its
 * clients are gone or reconnecting elsewhere.
 */
export class CometPool {
  readonly #registry: Registry;
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #logger: Logger;
  #clients = new Map<string, { address: string; client: CometClient }>();
  #stopWatch?: () => Promise<void>;

  constructor(opts: { registry: Registry; timeoutMs: number; attempts: number; logger: Logger }) {
    this.#registry = opts.registry;
    this.#timeoutMs = opts.timeoutMs;
    this.#attempts = opts.attempts;
    this.#logger = opts.logger;
  }

  async start(): Promise<void> {
    this.#stopWatch = await this.#registry.watch('comet', (instances) => this.#update(instances));
  }

  async close(): Promise<void> {
    await this.#stopWatch?.();
    for (const { client } of this.#clients.values()) client.close();
    this.#clients.clear();
  }

  ids(): string[] {
    return [...this.#clients.keys()];
  }

  has(id: string): boolean {
    return this.#clients.has(id);
  }

  /**
   * Calls one comet, retrying with back-off. Resolves undefined when the comet is not (or no
   * longer) registered; rejects when it stays registered but keeps failing, so the caller leaves
   * the Kafka batch uncommitted and it is delivered again.
   */
  async call<Res>(id: string, invoke: (client: CometClient, ...rest: Parameters<UnaryInvoker<Res>>) => unknown): Promise<Res | undefined> {
    for (let attempt = 1; ; attempt++) {
      const entry = this.#clients.get(id);
      if (!entry) return undefined;
      try {
        return await unary<Res>((md, opts, cb) => invoke(entry.client, md, opts, cb), this.#timeoutMs);
      } catch (error) {
        if (attempt >= this.#attempts) throw error;
        this.#logger.warn({ err: error, comet: id, attempt }, 'comet push failed; retrying');
        await delay(100 * 2 ** attempt);
      }
    }
  }

  #update(instances: ServiceInstance[]): void {
    const seen = new Set<string>();
    for (const instance of instances) {
      const address = instance.addrs.grpc;
      if (!address) continue;
      seen.add(instance.id);
      if (this.#clients.get(instance.id)?.address === address) continue;
      this.#clients.get(instance.id)?.client.close();
      this.#clients.set(instance.id, { address, client: createCometClient(address) });
    }
    for (const [id, { client }] of this.#clients) {
      if (seen.has(id)) continue;
      client.close();
      this.#clients.delete(id);
    }
    this.#logger.info({ comets: [...this.#clients.keys()] }, 'comets changed');
  }
}
