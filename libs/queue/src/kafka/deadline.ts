import { QueueError } from '../errors.ts';

/**
 * Settles like `work`, or rejects with TIMEOUT after `ms`. kafkajs bounds each request and its
 * retries, but their product can reach minutes; this keeps a caller's wait predictable. The work
 * itself is not cancelled: a message may still land after its sender saw TIMEOUT.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueError('TIMEOUT', `${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
