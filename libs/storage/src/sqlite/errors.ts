import { StorageError } from '../storage.ts';

/** The SQLite result code (e.g. SQLITE_BUSY) of a libsql error, if it is one. */
export function sqliteCode(error: unknown): { code?: string; extendedCode?: string } {
  if (typeof error !== 'object' || error === null) {
    return {};
  }
  const { code, extendedCode } = error as { code?: unknown; extendedCode?: unknown };
  return {
    code: typeof code === 'string' ? code : undefined,
    extendedCode: typeof extendedCode === 'string' ? extendedCode : undefined,
  };
}

// The database file cannot be opened, is locked for too long, or the disk failed.
const UNAVAILABLE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_READONLY']);

/**
 * Translates a libsql error: a violated UNIQUE -> DUPLICATE; a file that cannot be opened,
 * written or locked -> UNAVAILABLE. Anything else stays as it is.
 */
export function toStorageError(error: unknown, what: string): unknown {
  if (error instanceof StorageError) {
    return error;
  }
  const { code, extendedCode } = sqliteCode(error);
  const reason = error instanceof Error ? error.message : String(error);
  if (extendedCode === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new StorageError('DUPLICATE', `${what}: ${reason}`, { cause: error });
  }
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) {
    return new StorageError('UNAVAILABLE', `${what}: SQLite unavailable: ${reason}`, { cause: error });
  }
  return error;
}
