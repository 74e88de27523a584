import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Delay before retry number `attempt` (0-based): exponential with full jitter, so that many
 * processes that lost etcd at the same moment do not all come back in lockstep.
 */
export function backoffDelay(attempt: number, baseMs = 200, maxMs = 5_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Waits `ms`, or less when `signal` aborts; never rejects, so retry loops just re-check their state. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // aborted: the caller is closing and checks its own flag next
  }
}
