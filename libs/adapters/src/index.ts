export { loadAdapterConfig, type AdapterConfig, type Backend } from './config.ts';
export { createAdapters, createQueue, createRegistry, createRouting, describeAdapters, type Adapters } from './create.ts';
