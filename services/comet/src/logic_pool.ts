import * as grpc from '@grpc/grpc-js';
import { createLogicClient, unary, type LogicClient, type UnaryInvoker } from '@imcluster/proto';
import { WatchedClients, type Registry } from '@imcluster/registry';
import type { Logger } from '@imcluster/common';

export class LogicUnavailableError extends Error {
  /**
   * False when no attempt reached a logic process (none registered, or every port refused), so
   * the call certainly had no effect; true when one may have run it without answering in time.
   */
  readonly maybeDelivered: boolean;

  constructor(maybeDelivered: boolean, cause?: unknown) {
    super('no logic instance answered', { cause });
    this.name = 'LogicUnavailableError';
    this.maybeDelivered = maybeDelivered;
  }
}

// Errors after which another logic instance may well succeed.
const retryable = new Set([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.CANCELLED]);

/** The call failed before any byte of it could reach the logic process. */
function neverConnected(error: grpc.ServiceError): boolean {
  return error.code === grpc.status.UNAVAILABLE && /ECONNREFUSED|No connection established/.test(error.details ?? '');
}

/**
 * The logic instances found in the registry, called round-robin. A call that fails because an
 * instance is down is retried once on each other instance, so a logic restart is invisible to
 * clients apart from latency.
 */
export class LogicPool {
  readonly #logics: WatchedClients<LogicClient>;
  readonly #timeoutMs: number;
  #next = 0;

  constructor(registry: Registry, timeoutMs: number, logger: Logger) {
    this.#timeoutMs = timeoutMs;
    this.#logics = new WatchedClients({
      registry,
      service: 'logic',
      addressName: 'grpc',
      create: createLogicClient,
      onChange: (logics) => logger.info({ logics }, 'logic instances changed'),
    });
  }

  start(): Promise<void> {
    return this.#logics.start();
  }

  close(): Promise<void> {
    return this.#logics.close();
  }

  /**
   * Runs `invoke` on one logic instance after another until one answers or all failed, e.g.
   * `pool.call((c, md, opts, cb) => c.connect(req, md, opts, cb))`.
   */
  async call<Res>(invoke: (client: LogicClient, ...rest: Parameters<UnaryInvoker<Res>>) => unknown): Promise<Res> {
    let lastError: unknown;
    let maybeDelivered = false;
    for (let attempt = 0; attempt < Math.max(1, this.#logics.ids().length); attempt++) {
      const client = this.#pick();
      if (!client) break;
      try {
        return await unary<Res>((md, opts, cb) => invoke(client, md, opts, cb), this.#timeoutMs);
      } catch (error) {
        if (!retryable.has((error as grpc.ServiceError).code)) throw error;
        lastError = error;
        maybeDelivered ||= !neverConnected(error as grpc.ServiceError);
      }
    }
    throw new LogicUnavailableError(maybeDelivered, lastError);
  }

  #pick(): LogicClient | undefined {
    const ids = this.#logics.ids();
    if (ids.length === 0) return undefined;
    return this.#logics.get(ids[this.#next++ % ids.length]!);
  }
}
