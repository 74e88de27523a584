import type { Logger } from '@imcluster/common';
import { createCometClient, neverReached, unary, type CallObserver, type ClusterCredentials, type CometClient, type UnaryInvoker } from '@imcluster/proto';
import { WatchedClients, type Registry } from '@imcluster/registry';
import { PushStream, type StreamPush } from './push_stream.ts';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The comets currently in the registry, with one gRPC client each. A comet that leaves the
 * registry (drained, or its lease expired) is dropped: pushes for it are skipped, since its
 * clients are gone or reconnecting elsewhere. A comet whose port refuses connections has died
 * (or is restarting) before its lease ran out: it is suspended at once for `suspendMs` instead of
 * failing batch after batch until the registry notices; its clients reconnect and sync.
 */
export class CometPool {
  readonly #comets: WatchedClients<CometClient>;
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #suspendMs: number;
  readonly #logger: Logger;
  readonly #suspended = new Map<string, number>();
  /** Push streams by comet id, each bound to the comet's current client. */
  readonly #streams = new Map<string, PushStream>();

  constructor(opts: { registry: Registry; cluster: ClusterCredentials; timeoutMs: number; attempts: number; suspendMs: number; logger: Logger; calls: CallObserver }) {
    this.#timeoutMs = opts.timeoutMs;
    this.#attempts = opts.attempts;
    this.#suspendMs = opts.suspendMs;
    this.#logger = opts.logger;
    this.#comets = new WatchedClients({
      registry: opts.registry,
      service: 'comet',
      addressName: 'grpc',
      create: (address) => createCometClient(address, opts.cluster, opts.calls),
      onChange: (comets) => this.#onChange(comets),
    });
  }

  start(): Promise<void> {
    return this.#comets.start();
  }

  close(): Promise<void> {
    for (const stream of this.#streams.values()) stream.close();
    this.#streams.clear();
    return this.#comets.close();
  }

  ids(): string[] {
    return this.#comets.ids();
  }

  /** Registered and not suspended. */
  has(id: string): boolean {
    return this.#comets.has(id) && !this.#isSuspended(id);
  }

  /**
   * Calls one comet, retrying with back-off. Resolves true once the comet accepted the call, false
   * when the comet is not (or no longer) registered or has just been found dead; rejects when it
   * stays reachable but keeps failing, so the caller leaves the Kafka batch uncommitted and it is
   * delivered again.
   */
  call<Res>(id: string, invoke: (client: CometClient, ...rest: Parameters<UnaryInvoker<Res>>) => unknown): Promise<boolean> {
    return this.#attempt(id, (client) => unary<Res>((md, opts, cb) => invoke(client, md, opts, cb), this.#timeoutMs));
  }

  /** A room batch or key push to one comet on its push stream (see PushStream); resolves and rejects as call(). */
  push(id: string, push: StreamPush): Promise<boolean> {
    return this.#attempt(id, (client) => this.#stream(id, client).send(push));
  }

  async #attempt(id: string, once: (client: CometClient) => Promise<unknown>): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const client = this.#comets.get(id);
      if (!client || this.#isSuspended(id)) return false;
      try {
        await once(client);
        return true;
      } catch (error) {
        // Its process is gone or not listening yet.
        if (neverReached(error)) return this.#suspend(id, error);
        if (attempt >= this.#attempts) throw error;
        this.#logger.warn({ err: error, comet: id, attempt }, 'comet push failed; retrying');
        await delay(100 * 2 ** attempt);
      }
    }
  }

  #stream(id: string, client: CometClient): PushStream {
    let stream = this.#streams.get(id);
    if (stream?.client !== client) {
      stream?.close();
      stream = new PushStream(client, this.#timeoutMs);
      this.#streams.set(id, stream);
    }
    return stream;
  }

  #suspend(id: string, error: unknown): false {
    if (!this.#isSuspended(id)) this.#logger.warn({ err: error, comet: id, forMs: this.#suspendMs }, 'comet refuses connections; suspended');
    this.#suspended.set(id, Date.now() + this.#suspendMs);
    return false;
  }

  #isSuspended(id: string): boolean {
    const until = this.#suspended.get(id);
    if (until === undefined) return false;
    if (Date.now() < until) return true;
    this.#suspended.delete(id);
    return false;
  }

  // A comet that left the registry and came back is a new process: it starts unsuspended.
  #onChange(comets: string[]): void {
    const live = new Set(comets);
    for (const id of this.#suspended.keys()) if (!live.has(id)) this.#suspended.delete(id);
    for (const [id, stream] of this.#streams) {
      if (live.has(id)) continue;
      stream.close();
      this.#streams.delete(id);
    }
    this.#logger.info({ comets }, 'comets changed');
  }
}
