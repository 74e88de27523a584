export type { Registry, Registration, ServiceInstance } from './registry.ts';
export { EtcdRegistry, type EtcdRegistryOptions } from './registry.etcd.ts';
export { MemoryRegistry } from './registry.memory.ts';
export { WatchedClients, type Closable } from './watched_clients.ts';
