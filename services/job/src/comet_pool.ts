import type { Logger } from '@imcluster/common';
import { createCometClient, unary, type CallObserver, type CometClient, type UnaryInvoker } from '@imcluster/proto';
import { WatchedClients, type Registry } from '@imcluster/registry';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The comets currently in the registry, with one gRPC client each. A comet that leaves the
 * registry (drained, or its lease expired) is dropped: pushes for it are skipped, since its
 * clients are gone or reconnecting elsewhere.
 */
export class CometPool {
  readonly #comets: WatchedClients<CometClient>;
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #logger: Logger;

  constructor(opts: { registry: Registry; timeoutMs: number; attempts: number; logger: Logger; calls: CallObserver }) {
    this.#timeoutMs = opts.timeoutMs;
    this.#attempts = opts.attempts;
    this.#logger = opts.logger;
    this.#comets = new WatchedClients({
      registry: opts.registry,
      service: 'comet',
      addressName: 'grpc',
      create: (address) => createCometClient(address, opts.calls),
      onChange: (comets) => opts.logger.info({ comets }, 'comets changed'),
    });
  }

  start(): Promise<void> {
    return this.#comets.start();
  }

  close(): Promise<void> {
    return this.#comets.close();
  }

  ids(): string[] {
    return this.#comets.ids();
  }

  has(id: string): boolean {
    return this.#comets.has(id);
  }

  /**
   * Calls one comet, retrying with back-off. Resolves undefined when the comet is not (or no
   * longer) registered; rejects when it stays registered but keeps failing, so the caller leaves
   * the Kafka batch uncommitted and it is delivered again.
   */
  async call<Res>(id: string, invoke: (client: CometClient, ...rest: Parameters<UnaryInvoker<Res>>) => unknown): Promise<Res | undefined> {
    for (let attempt = 1; ; attempt++) {
      const client = this.#comets.get(id);
      if (!client) return undefined;
      try {
        return await unary<Res>((md, opts, cb) => invoke(client, md, opts, cb), this.#timeoutMs);
      } catch (error) {
        if (attempt >= this.#attempts) throw error;
        this.#logger.warn({ err: error, comet: id, attempt }, 'comet push failed; retrying');
        await delay(100 * 2 ** attempt);
      }
    }
  }
}
