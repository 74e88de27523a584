import type { Registry, ServiceInstance } from './registry.ts';

/** Anything with a close(), such as a gRPC client. */
export interface Closable {
  close(): void;
}

/**
 * One client per registered instance of a service, kept in step with the registry: a client is
 * created when an instance appears (or its address changes) and closed when it leaves.
 */
export class WatchedClients<C extends Closable> {
  readonly #registry: Registry;
  readonly #service: string;
  readonly #addressName: string;
  readonly #create: (address: string) => C;
  readonly #onChange: (ids: string[]) => void;
  #clients = new Map<string, { address: string; client: C }>();
  #instances: ServiceInstance[] = [];
  #stopWatch?: () => Promise<void>;

  /** `addressName` picks the address used from `instance.addrs` (e.g. "grpc"). */
  constructor(opts: { registry: Registry; service: string; addressName: string; create: (address: string) => C; onChange?: (ids: string[]) => void }) {
    this.#registry = opts.registry;
    this.#service = opts.service;
    this.#addressName = opts.addressName;
    this.#create = opts.create;
    this.#onChange = opts.onChange ?? (() => undefined);
  }

  async start(): Promise<void> {
    this.#stopWatch = await this.#registry.watch(this.#service, (instances) => this.#update(instances));
  }

  async close(): Promise<void> {
    await this.#stopWatch?.();
    for (const { client } of this.#clients.values()) client.close();
    this.#clients.clear();
    this.#instances = [];
  }

  get instances(): ServiceInstance[] {
    return this.#instances;
  }

  ids(): string[] {
    return [...this.#clients.keys()];
  }

  get(id: string): C | undefined {
    return this.#clients.get(id)?.client;
  }

  has(id: string): boolean {
    return this.#clients.has(id);
  }

  #update(instances: ServiceInstance[]): void {
    const usable = instances.filter((i) => i.addrs[this.#addressName]);
    for (const instance of usable) {
      const address = instance.addrs[this.#addressName]!;
      const current = this.#clients.get(instance.id);
      if (current?.address === address) continue;
      current?.client.close();
      this.#clients.set(instance.id, { address, client: this.#create(address) });
    }
    const live = new Set(usable.map((i) => i.id));
    for (const [id, { client }] of this.#clients) {
      if (live.has(id)) continue;
      client.close();
      this.#clients.delete(id);
    }
    this.#instances = usable;
    this.#onChange(this.ids());
  }
}
