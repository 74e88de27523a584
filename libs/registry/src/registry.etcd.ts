import { Etcd3 } from 'etcd3';
import { createLogger, type Logger } from '@imcluster/common';
import type { Registration, Registry, ServiceInstance } from './registry.ts';
import { instanceKey, servicePrefix } from './etcd-keys.ts';
import { byId, checkInstance, decodeInstance, encodeInstance } from './instance-codec.ts';
import { EtcdRegistration } from './registration.etcd.ts';
import { EtcdServiceWatch } from './watch.etcd.ts';

export interface EtcdRegistryOptions {
  /** etcd client URLs, e.g. ["http://10.0.0.1:2379", "http://10.0.0.2:2379"]. */
  endpoints: string[];
  /** First segment of every key: /<namespace>/services/<service>/<id>. */
  namespace: string;
  /** Lease TTL: how long a crashed process stays listed. Default 10. */
  ttlSec?: number;
  logger?: Logger;
}

/**
 * Registry on etcd: each registration is a key under its own lease (see registration.etcd.ts),
 * each watch a list + watch pair that resynchronises after any interruption (see watch.etcd.ts).
 * The etcd client is created on first use, so constructing this does no I/O.
 */
export class EtcdRegistry implements Registry {
  readonly #endpoints: string[];
  readonly #namespace: string;
  readonly #ttlSec: number;
  readonly #logger: Logger;
  readonly #registrations = new Set<EtcdRegistration>();
  readonly #watches = new Set<EtcdServiceWatch>();
  #etcd: Etcd3 | undefined;
  #closed = false;

  constructor(options: EtcdRegistryOptions) {
    this.#endpoints = options.endpoints;
    this.#namespace = options.namespace;
    this.#ttlSec = options.ttlSec ?? 10;
    this.#logger = options.logger ?? createLogger('registry');
  }

  async register(instance: ServiceInstance): Promise<Registration> {
    this.#checkOpen();
    checkInstance(instance);
    const registration = new EtcdRegistration({
      client: this.#client(),
      key: instanceKey(this.#namespace, instance.service, instance.id),
      value: encodeInstance(instance),
      ttlSec: this.#ttlSec,
      logger: this.#logger,
    });
    await registration.start();
    if (this.#closed) {
      await registration.close();
      throw new Error('registry closed while registering');
    }
    this.#registrations.add(registration);
    return {
      get held() {
        return registration.held;
      },
      close: async () => {
        this.#registrations.delete(registration);
        await registration.close();
      },
    };
  }

  async list(service: string): Promise<ServiceInstance[]> {
    this.#checkOpen();
    const values = await this.#client()
      .getAll()
      .prefix(servicePrefix(this.#namespace, service))
      .options({ deadline: Date.now() + this.#callTimeoutMs() })
      .strings();
    return Object.values(values)
      .map(decodeInstance)
      .filter((i): i is ServiceInstance => i !== undefined)
      .sort(byId);
  }

  async watch(service: string, onChange: (instances: ServiceInstance[]) => void | Promise<void>): Promise<() => Promise<void>> {
    this.#checkOpen();
    const watch = new EtcdServiceWatch({
      client: this.#client(),
      prefix: servicePrefix(this.#namespace, service),
      onChange,
      logger: this.#logger,
      callTimeoutMs: this.#callTimeoutMs(),
    });
    await watch.start();
    if (this.#closed) {
      await watch.close();
      throw new Error('registry closed while starting a watch');
    }
    this.#watches.add(watch);
    return async () => {
      this.#watches.delete(watch);
      await watch.close();
    };
  }

  /** Closes watches, revokes the leases of registrations still open, then the client. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#watches].map((w) => w.close()));
    await Promise.all([...this.#registrations].map((r) => r.close()));
    this.#watches.clear();
    this.#registrations.clear();
    this.#etcd?.close();
  }

  #client(): Etcd3 {
    this.#etcd ??= new Etcd3({ hosts: this.#endpoints });
    return this.#etcd;
  }

  #callTimeoutMs(): number {
    return Math.max(3_000, this.#ttlSec * 1_000);
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error('registry is closed');
  }
}
