export { loadAdapterConfig, type AdapterConfig, type Backend } from './config.ts';
export { createAdapters, createQueue, createRegistry, createRouting, createStorage, describeAdapters, type Adapters } from './create.ts';
