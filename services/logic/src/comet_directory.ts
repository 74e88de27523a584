import { createCometClient, unary, type CallObserver, type CometClient, type KickReply, type StatsReply } from '@imcluster/proto';
import { WatchedClients, type Registry, type ServiceInstance } from '@imcluster/registry';

/** The comets found in the registry: for the node-list and online-total queries of the HTTP API, and to close connections. */
export class CometDirectory {
  readonly #comets: WatchedClients<CometClient>;

  constructor(registry: Registry, calls: CallObserver) {
    this.#comets = new WatchedClients({ registry, service: 'comet', addressName: 'grpc', create: (address) => createCometClient(address, calls) });
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
