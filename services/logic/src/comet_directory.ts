import { ImError } from '@imcluster/common';
import { createCometClient, fromGrpcError, unary, type CallObserver, type ClusterCredentials, type CometClient, type DrainReply, type KickReply, type StatsReply } from '@imcluster/proto';
import { WatchedClients, type Registry, type ServiceInstance } from '@imcluster/registry';

/** The comets found in the registry: for the node-list and online-total queries of the HTTP API, and to close connections. */
export class CometDirectory {
  readonly #comets: WatchedClients<CometClient>;

  constructor(registry: Registry, cluster: ClusterCredentials, calls: CallObserver) {
    this.#comets = new WatchedClients({ registry, service: 'comet', addressName: 'grpc', create: (address) => createCometClient(address, cluster, calls) });
  }

  start(): Promise<void> {
    return this.#comets.start();
  }

  close(): Promise<void> {
    return this.#comets.close();
  }

  get instances(): ServiceInstance[] {
    return this.#comets.instances;
  }

  /** Stats of every live comet; comets that do not answer within the timeout are left out. */
  async stats(timeoutMs = 2000): Promise<StatsReply[]> {
    const replies = await Promise.allSettled(this.#comets.ids().map((id) => this.#statsOf(id, timeoutMs)));
    return replies.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  }

  /**
   * Asks comet `id` to drain (see Comet.drain in services/comet): it leaves the registry and moves
   * its clients elsewhere with 3001. NOT_FOUND for a comet not registered, CONFLICT for the last
   * one (its clients would have nowhere to go).
   */
  async drain(id: string, timeoutMs: number): Promise<number> {
    const client = this.#comets.get(id);
    if (!client) throw new ImError('NOT_FOUND', `no comet ${id} is registered`);
    if (this.#comets.ids().length < 2) throw new ImError('CONFLICT', `comet ${id} is the only one registered: its clients would have nowhere to go`);
    const reply = await unary<DrainReply>((md, opts, cb) => client.drain({}, md, opts, cb), timeoutMs).catch((error: unknown) => {
      throw fromGrpcError(error);
    });
    return reply.clients ?? 0;
  }

  /** Asks comet `id` to close the connections `keys` with `code`; resolves with how many it closed. */
  async kick(id: string, keys: string[], code: number, reason: string, timeoutMs = 2000): Promise<number> {
    const client = this.#comets.get(id);
    if (!client) return 0; // a comet that left the registry holds no connections any more
    const reply = await unary<KickReply>((md, opts, cb) => client.kick({ keys, code, reason }, md, opts, cb), timeoutMs);
    return reply.closed ?? 0;
  }

  #statsOf(id: string, timeoutMs: number): Promise<StatsReply> {
    const client = this.#comets.get(id);
    if (!client) return Promise.reject(new Error(`comet ${id} left`));
    return unary<StatsReply>((md, opts, cb) => client.stats({}, md, opts, cb), timeoutMs);
  }
}
