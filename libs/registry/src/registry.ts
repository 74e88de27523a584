/** A running process of one role as other processes find it. */
export interface ServiceInstance {
  /** Unique per process, stable for its lifetime (e.g. "comet-1" or host:pid). */
  id: string;
  /** Role name: "comet", "logic" or "job". */
  service: string;
  /** Named addresses, e.g. { grpc: "127.0.0.1:3109", tcp: "127.0.0.1:3101", ws: "127.0.0.1:3102" }. */
  addrs: Record<string, string>;
  /** Free-form attributes such as weight or region. */
  meta?: Record<string, string | number>;
}

/** Handle on one registration. */
export interface Registration {
  /**
   * True while the instance is listed as far as this process can tell: false once it was closed,
   * and while the backing lease is lost or could not be renewed lately (etcd unreachable); true
   * again once the adapter has registered it anew.
   */
  readonly held: boolean;
  /** Removes the instance at once (before a graceful shutdown) and stops keeping it alive. Idempotent. */
  close(): Promise<void>;
}

/**
 * Service discovery.
 *
 * Contract:
 * - register() makes the instance visible to list()/watch() of the same namespace before it resolves.
 * - The instance is kept alive for as long as the process runs; if the backing lease is lost
 *   (network partition, store restart) the adapter registers it again by itself.
 * - An instance whose process died without closing disappears within `ttlSec` of its last keepalive.
 * - watch() calls `onChange` with the full current list first (before watch() resolves), then after
 *   every change that alters the list; order of the list is by id. Callbacks never overlap: an async
 *   callback is awaited before the next one starts. Every call carries the whole list as of that
 *   moment, so a listener only needs the latest call.
 * - register() of an id that is already registered replaces the stored instance; each Registration
 *   only removes what it wrote itself.
 * - close() stops watches and closes the registrations still open (they disappear at once).
 */
export interface Registry {
  register(instance: ServiceInstance): Promise<Registration>;
  list(service: string): Promise<ServiceInstance[]>;
  /** Returns a function that stops watching; no callback starts after it resolves. */
  watch(service: string, onChange: (instances: ServiceInstance[]) => void | Promise<void>): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
