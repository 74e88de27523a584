import { ImError } from '@imcluster/common';
import { ReplyError } from 'ioredis';

/** The routing tables could not be read or written now: Redis unreachable or not serving. */
export class RoutingError extends ImError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNAVAILABLE', message, options);
  }
}

// Replies of a Redis that cannot serve for the moment: failover, loading, a busy script, a slot
// that moved again before the client caught up.
const TRANSIENT_REPLY = /^(CLUSTERDOWN|LOADING|TRYAGAIN|MASTERDOWN|BUSY|READONLY|MOVED|ASK)\b/;

/**
 * Translates an ioredis failure: lost or refused connection, retries exhausted, or a transient
 * reply -> RoutingError (UNAVAILABLE). Any other reply error answers a command we built wrong: a
 * bug, left as it is.
 */
export function toRoutingError(error: unknown, what: string): unknown {
  if (error instanceof RoutingError) return error;
  if (error instanceof ReplyError && !TRANSIENT_REPLY.test((error as Error).message)) return error;
  return new RoutingError(`${what}: Redis unavailable: ${(error as Error).message}`, { cause: error });
}
