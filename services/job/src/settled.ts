/**
 * Waits for every promise, then rejects with the first rejection, if any. Unlike Promise.all it
 * never reports a failure while something it started is still in flight: a push still in
 * CometPool's retries would otherwise race the redelivery of its batch (a duplicate at the
 * comet, and for its key or room a reorder).
 */
export async function settled(promises: Iterable<Promise<unknown> | undefined>): Promise<void> {
  const failed = (await Promise.allSettled(promises)).find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}
