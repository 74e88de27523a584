import v8 from 'node:v8';

/**
 * Applies IM_COMET_HEAP, before any connection exists. `lean` is V8's optimize-for-size mode: a
 * smaller young generation and a heap that grows less eagerly, which is what lets a comet hold
 * 100,000 connections in a few hundred MB (docs/operations.md, "Slow consumers and memory
 * bounds"). Set at run time because NODE_OPTIONS refuses the flag and every launcher (the image,
 * the local cluster, tests) should get it.
 */
export function useHeapMode(mode: 'lean' | 'fast'): void {
  if (mode === 'lean') v8.setFlagsFromString('--optimize-for-size');
}
