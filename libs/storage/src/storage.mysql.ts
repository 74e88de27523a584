import { MysqlDialect, type MysqlStorageOptions } from './dialect.mysql.ts';
import { SqlStorage } from './storage.sql.ts';

export type { MysqlStorageOptions } from './dialect.mysql.ts';

/** Storage on MySQL (or MariaDB): the SQL core over a mysql2 pool. The constructor does no I/O. */
export class MysqlStorage extends SqlStorage {
  constructor(options: MysqlStorageOptions) {
    super(new MysqlDialect(options));
  }
}
