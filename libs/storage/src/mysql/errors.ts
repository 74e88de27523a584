import type { SqlErrorKind } from '../dialect.ts';

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

/** The `code` of a mysql2 (or Node.js network) error, if it has one. */
export function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/**
 * Classifies a mysql2 error: duplicate key -> DUPLICATE, lost or refused connection, deadlock or
 * lock wait timeout -> UNAVAILABLE (mysql2 marks every error that killed the connection as
 * `fatal`).
 */
export function classifyMysql(error: unknown): SqlErrorKind | undefined {
  const code = errorCode(error);
  if (code === 'ER_DUP_ENTRY') {
    return 'DUPLICATE';
  }
  const fatal = typeof error === 'object' && error !== null && (error as { fatal?: unknown }).fatal === true;
  return fatal || (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) ? 'UNAVAILABLE' : undefined;
}
