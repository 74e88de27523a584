import { ImError, type Logger } from '@imcluster/common';
import { createLogicClient, fromGrpcError, grpcErrorCode, neverReached, unary, type CallObserver, type ClusterCredentials, type LogicClient, type UnaryInvoker } from '@imcluster/proto';
import { WatchedClients, type Registry } from '@imcluster/registry';

/**
 * The logic instances found in the registry, called round-robin. A call that fails because an
 * instance is down is retried once on each other instance, so a logic restart is invisible to
 * clients apart from latency.
 */
export class LogicPool {
  readonly #logics: WatchedClients<LogicClient>;
  readonly #timeoutMs: number;
  #next = 0;

  constructor(registry: Registry, cluster: ClusterCredentials, timeoutMs: number, logger: Logger, calls: CallObserver) {
    this.#timeoutMs = timeoutMs;
    this.#logics = new WatchedClients({
      registry,
      service: 'logic',
      addressName: 'grpc',
      create: (address) => createLogicClient(address, cluster, calls),
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
   * `pool.call((c, md, opts, cb) => c.connect(req, md, opts, cb))`. Rejects with an ImError: the
   * code logic's handler answered with, or UNAVAILABLE when no instance was reached.
   */
  async call<Res>(invoke: (client: LogicClient, ...rest: Parameters<UnaryInvoker<Res>>) => unknown): Promise<Res> {
    let lastError: unknown;
    let maybeDelivered = false;
    // Each instance once, from a round-robin start: with a shared cursor, concurrent calls would
    // move it between attempts and could send a retry back to the instance that just failed.
    const ids = this.#logics.ids();
    const start = this.#next++;
    for (let attempt = 0; attempt < ids.length; attempt++) {
      const client = this.#logics.get(ids[(start + attempt) % ids.length]!);
      if (!client) continue;
      try {
        return await unary<Res>((md, opts, cb) => invoke(client, md, opts, cb), this.#timeoutMs);
      } catch (error) {
        // A handler's answer stands; only an instance that was not reached is worth another try.
        const failure = fromGrpcError(error);
        if (grpcErrorCode(error) !== undefined || failure.code !== 'UNAVAILABLE') throw failure;
        lastError = error;
        maybeDelivered ||= !neverReached(error);
      }
    }
    // A call that may have reached a logic must not be reported as certainly not done.
    throw new ImError(maybeDelivered ? 'OUTCOME_UNKNOWN' : 'UNAVAILABLE', 'no logic instance answered', { cause: lastError });
  }
}
