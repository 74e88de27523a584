import { ImError } from '@imcluster/common';

/**
 * Every way a queue operation can fail on purpose. Callers branch on `reason`, never on messages.
 * - QUEUE_FULL: a bounded buffer is full; the message was not accepted (back off, report upstream).
 * - TIMEOUT: no answer in time; the message may or may not have been stored (retry; consumers
 *   must tolerate the duplicate, which at-least-once already requires).
 * - UNKNOWN_TOPIC: the topic was never created with ensureTopic().
 * - CLOSED: the producer, consumer or queue was closed.
 * - UNAVAILABLE: the backend refused or failed the operation after its own retries.
 */
export type QueueErrorReason = 'QUEUE_FULL' | 'TIMEOUT' | 'UNKNOWN_TOPIC' | 'CLOSED' | 'UNAVAILABLE';

/** The queue did not do what was asked; for its callers every reason is an outage (code UNAVAILABLE). */
export class QueueError extends ImError {
  readonly reason: QueueErrorReason;

  constructor(reason: QueueErrorReason, message: string, options?: { cause?: unknown }) {
    super('UNAVAILABLE', message, options);
    this.reason = reason;
  }
}

/** Wraps a backend failure in a QueueError, keeping our own errors as they are. */
export function toQueueError(error: unknown, what: string): QueueError {
  if (error instanceof QueueError) {
    return error;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new QueueError('UNAVAILABLE', `${what} failed: ${reason}`, { cause: error });
}
