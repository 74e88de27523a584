import type { SqlErrorKind } from '../dialect.ts';

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
 * Classifies a libsql error: a violated UNIQUE -> DUPLICATE; a file that cannot be opened,
 * written or locked -> UNAVAILABLE.
 */
export function classifySqlite(error: unknown): SqlErrorKind | undefined {
  const { code, extendedCode } = sqliteCode(error);
  if (extendedCode === 'SQLITE_CONSTRAINT_UNIQUE') {
    return 'DUPLICATE';
  }
  return code !== undefined && UNAVAILABLE_CODES.has(code) ? 'UNAVAILABLE' : undefined;
}
