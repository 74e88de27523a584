import { MemoryLimitStore } from '../src/limiter.memory.ts';
import { limiterContract } from './limiter.contract.ts';

limiterContract('memory', (t) => {
  const store = new MemoryLimitStore();
  t.after(() => store.close());
  return store;
});
