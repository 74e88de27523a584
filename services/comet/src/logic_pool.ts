import * as grpc from '@grpc/grpc-js';
import { createLogicClient, unary, type LogicClient, type UnaryInvoker } from '@imcluster/proto';
import type { Registry, ServiceInstance } from '@imcluster/registry';
import type { Logger } from '@imcluster/common';

export class LogicUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('no logic instance answered', { cause });
    this.name = 'LogicUnavailableError';
  }
}

// Errors after which another logic instance may well succeed.
const retryable = new Set([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.CANCELLED]);

/**
 * The logic instances found in the registry, called round-robin. A call that fails because an
 * instance is down is retried once on each other instance, so a logic restart is invisible to
 * clients apart from latency.
 */
export class LogicPool {
  #registry: Registry;
  #timeoutMs: number;
  #logger: Logger;
  #clients = new Map<string, { address: string; client: LogicClient }>();
  #ids: string[] = [];
  #next = 0;
  #stopWatch?: () => Promise<void>;

  constructor(registry: Registry, timeoutMs: number, logger: Logger) {
    this.#registry = registry;
    this.#timeoutMs = timeoutMs;
    this.#logger = logger;
  }

  async start(): Promise<void> {
    this.#stopWatch = await this.#registry.watch('logic', (instances) => this.#update(instances));
  }

  async close(): Promise<void> {
    await this.#stopWatch?.();
    for (const { client } of this.#clients.values()) client.close();
    this.#clients.clear();
    this.#ids = [];
  }

  /**
   * Runs `invoke` on one logic instance after another until one answers or all failed, e.g.
   * `pool.call((c, md, opts, cb) => c.connect(req, md, opts, cb))`.
   */
  async call<Res>(invoke: (client: LogicClient, ...rest: Parameters<UnaryInvoker<Res>>) => unknown): Promise<Res> {
    let lastError: unknown;
    for (let attempt = 0; attempt < Math.max(1, this.#ids.length); attempt++) {
      const client = this.#pick();
      if (!client) break;
      try {
        return await unary<Res>((md, opts, cb) => invoke(client, md, opts, cb), this.#timeoutMs);
      } catch (error) {
        if (!retryable.has((error as grpc.ServiceError).code)) throw error;
        lastError = error;
      }
    }
    throw new LogicUnavailableError(lastError);
  }

  #pick(): LogicClient | undefined {
    if (this.#ids.length === 0) return undefined;
    const id = this.#ids[this.#next++ % this.#ids.length]!;
    return this.#clients.get(id)?.client;
  }

  #update(instances: ServiceInstance[]): void {
    const seen = new Set<string>();
    for (const instance of instances) {
      const address = instance.addrs.grpc;
      if (!address) continue;
      seen.add(instance.id);
      const current = this.#clients.get(instance.id);
      if (current?.address === address) continue;
      current?.client.close();
      this.#clients.set(instance.id, { address, client: createLogicClient(address) });
    }
    for (const [id, { client }] of this.#clients) {
      if (seen.has(id)) continue;
      client.close();
      this.#clients.delete(id);
    }
    this.#ids = [...this.#clients.keys()];
    this.#logger.info({ logics: this.#ids }, 'logic instances changed');
  }
}
