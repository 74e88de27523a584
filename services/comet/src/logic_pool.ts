import * as grpc from '@grpc/grpc-js';
import { createLogicClient, unary, type CallObserver, type LogicClient, type UnaryInvoker } from '@imcluster/proto';
import { WatchedClients, type Registry } from '@imcluster/registry';
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
  readonly #logics: WatchedClients<LogicClient>;
  readonly #timeoutMs: number;
  #next = 0;

  constructor(registry: Registry, timeoutMs: number, logger: Logger, calls: CallObserver) {
    this.#timeoutMs = timeoutMs;
    this.#logics = new WatchedClients({
      registry,
      service: 'logic',
      addressName: 'grpc',
      create: (address) => createLogicClient(address, calls),
      onChange: (logics) => logger.info({ logics }, 'logic instances changed'),
    });
  }

  start(): Promise<void> {
    return this.#logics.start();
  }

  close(): Promise<void> {
    return this.#logics.close();
  }

  /** Logic instances registered now. */
  get size(): number {
    return this.#logics.ids().length;
  }

  /**
   * Runs `invoke` on one logic instance after another until one answers or all failed, e.g.
   * `pool.call((c, md, opts, cb) => c.connect(req, md, opts, cb))`.
   */
  async call<Res>(invoke: (client: LogicClient, ...rest: Parameters<UnaryInvoker<Res>>) => unknown): Promise<Res> {
    let lastError: unknown;
    for (let attempt = 0; attempt < Math.max(1, this.#logics.ids().length); attempt++) {
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
    const ids = this.#logics.ids();
    if (ids.length === 0) return undefined;
    return this.#logics.get(ids[this.#next++ % ids.length]!);
  }
}
