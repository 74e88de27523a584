import { createLogger } from '@imcluster/common';
import { MemoryRegistry } from '../src/registry.memory.ts';
import { registryContract } from './registry.contract.ts';

const logger = createLogger('registry-test', process.env.IM_LOG_LEVEL ?? 'silent');

registryContract(
  'memory',
  async (t) => {
    const registry = new MemoryRegistry({ logger });
    t.after(() => registry.close());
    return registry;
  },
  { ttlSec: 1, supportsExpiry: false },
);
