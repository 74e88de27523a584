import { StorageError } from '../storage.ts';

// Errors of the path to the server, or of locks, rather than of the statement.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  // Transient lock trouble: the statement was rolled back and may simply be run again.
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
]);

/**
 * Translates a mysql2 error: duplicate key -> DUPLICATE, lost or refused connection, deadlock or
 * lock wait timeout -> UNAVAILABLE (mysql2 marks every error that killed the connection as
 * `fatal`). Anything else is a bug or a schema problem and stays as it is.
 */
export function toStorageError(error: unknown, what: string): unknown {
  if (error instanceof StorageError || typeof error !== 'object' || error === null) {
    return error;
  }
  const { code, fatal } = error as { code?: unknown; fatal?: unknown };
  const reason = error instanceof Error ? error.message : String(code);
  if (code === 'ER_DUP_ENTRY') {
    return new StorageError('DUPLICATE', `${what}: ${reason}`, { cause: error });
  }
  if (fatal === true || (typeof code === 'string' && UNAVAILABLE_CODES.has(code))) {
    return new StorageError('UNAVAILABLE', `${what}: MySQL unavailable: ${reason}`, { cause: error });
  }
  return error;
}
