import { MemoryRouting } from '../src/routing.memory.ts';
import { routingContract } from './routing.contract.ts';

routingContract('memory', async (t, { ttlSec, reportTtlSec }) => {
  // A sweep faster than the TTL, so the expiry cases also run with entries freed under the reads.
  const routing = new MemoryRouting({ ttlSec, sweepIntervalMs: 200, ...(reportTtlSec ? { reportTtlSec } : {}) });
  t.after(() => routing.close());
  return routing;
});
