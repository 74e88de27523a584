import { SqliteDialect, type SqliteStorageOptions } from './dialect.sqlite.ts';
import { SqlStorage } from './storage.sql.ts';

export type { SqliteStorageOptions } from './dialect.sqlite.ts';

/** Storage in one SQLite file (libsql), for the single-process mode: the SQL core over SqliteDialect. */
export class SqliteStorage extends SqlStorage {
  constructor(options: SqliteStorageOptions) {
    super(new SqliteDialect(options));
  }
}
