import { after } from 'node:test';

export interface Cleanup {
  after(fn: () => unknown): void;
}

/**
 * Cleanup that runs when the whole test file ends (in reverse order of registration). Call it at
 * module top level: node:test's own `after`, called inside a `before` hook, would run as soon as
 * that hook finished.
 */
export function fileCleanup(): Cleanup {
  const fns: (() => unknown)[] = [];
  after(async () => {
    for (const fn of fns.reverse()) await fn();
  });
  return { after: (fn) => void fns.push(fn) };
}
