/**
 * Settles like `work`, or rejects with `timedOut()` after `ms`. Bounds a caller's wait where a
 * client library's own retries could last minutes. The work itself is not cancelled: it may still
 * take effect after the caller saw the timeout.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
