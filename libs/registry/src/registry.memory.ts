import { createLogger, type Logger } from '@imcluster/common';
import type { Registration, Registry, ServiceInstance } from './registry.ts';
import { byId, checkInstance } from './instance-codec.ts';
import { SerialQueue } from './serial-queue.ts';

type Listener = (instances: ServiceInstance[]) => void | Promise<void>;

interface Entry {
  instance: ServiceInstance;
  /** The registration that wrote it: only that one may remove it (as with etcd leases). */
  owner: symbol;
}

interface MemoryWatch {
  service: string;
  queue: SerialQueue;
  onChange: Listener;
  closed: boolean;
  /** JSON of the last delivered list: a queued call whose list did not change is skipped. */
  delivered?: string;
}

/**
 * Registry for the single-process mode: one instance shared by every role of the process.
 *
 * Same contract as the etcd adapter except expiry: there is no lease, an instance stays until its
 * registration (or the registry) is closed, because a crash takes the whole process, and every
 * reader with it. Lease loss cannot happen. Instances are copied in and out, so callers cannot
 * change what others see.
 */
export class MemoryRegistry implements Registry {
  readonly #services = new Map<string, Map<string, Entry>>();
  readonly #watches = new Set<MemoryWatch>();
  readonly #logger: Logger;
  #closed = false;

  constructor(options: { logger?: Logger } = {}) {
    this.#logger = options.logger ?? createLogger('registry');
  }

  async register(instance: ServiceInstance): Promise<Registration> {
    this.#checkOpen();
    checkInstance(instance);
    const owner = Symbol(instance.id);
    this.#entries(instance.service).set(instance.id, { instance: structuredClone(instance), owner });
    this.#notify(instance.service);
    let closed = false;
    return {
      get held() {
        return !closed;
      },
      close: async () => {
        if (closed) return;
        closed = true;
        this.#remove(instance.service, instance.id, owner);
      },
    };
  }

  async list(service: string): Promise<ServiceInstance[]> {
    this.#checkOpen();
    return this.#snapshot(service);
  }

  async watch(service: string, onChange: Listener): Promise<() => Promise<void>> {
    this.#checkOpen();
    const watch: MemoryWatch = { service, onChange, closed: false, queue: new SerialQueue((err) => this.#onFailure(err)) };
    this.#watches.add(watch);
    await this.#deliver(watch);
    return async () => {
      watch.closed = true;
      this.#watches.delete(watch);
      await watch.queue.idle();
    };
  }

  /** Stops every watch and drops every instance (the process is going away). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const watches = [...this.#watches];
    this.#watches.clear();
    for (const watch of watches) watch.closed = true;
    await Promise.all(watches.map((w) => w.queue.idle()));
    this.#services.clear();
  }

  #entries(service: string): Map<string, Entry> {
    let entries = this.#services.get(service);
    if (!entries) {
      entries = new Map();
      this.#services.set(service, entries);
    }
    return entries;
  }

  #remove(service: string, id: string, owner: symbol): void {
    const entries = this.#services.get(service);
    if (entries?.get(id)?.owner !== owner) return;
    entries.delete(id);
    this.#notify(service);
  }

  #snapshot(service: string): ServiceInstance[] {
    const entries = this.#services.get(service)?.values() ?? [];
    return [...entries].map((e) => structuredClone(e.instance)).sort(byId);
  }

  #notify(service: string): void {
    for (const watch of this.#watches) if (watch.service === service) void this.#deliver(watch);
  }

  /** The snapshot is taken when the callback runs, so a queued call always sees the latest list. */
  #deliver(watch: MemoryWatch): Promise<void> {
    return watch.queue.push(async () => {
      if (watch.closed) return;
      const list = this.#snapshot(watch.service);
      const text = JSON.stringify(list);
      if (text === watch.delivered) return;
      watch.delivered = text;
      await watch.onChange(list);
    });
  }

  #onFailure(err: unknown): void {
    this.#logger.error({ err: String(err) }, 'registry watch callback failed');
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error('registry is closed');
  }
}
