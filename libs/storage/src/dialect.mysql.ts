import { createLogger, type Logger } from '@imcluster/common';
import { createPool, type Pool, type PoolConnection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import type { CounterUpsert, Recover, SqlDialect, SqlErrorKind, SqlRow, SqlRunner, SqlValue, SqlWrite } from './dialect.ts';
import { loadMigrations } from './migrations.ts';
import { classifyMysql } from './mysql/errors.ts';
import { migrateMysql } from './mysql/migrate.ts';
import { inTransaction } from './mysql/transaction.ts';

export interface MysqlStorageOptions {
  /** mysql://user:password@host:port/database */
  url: string;
  logger?: Logger;
  /** Connections of the pool. Default 10. */
  connectionLimit?: number;
  /** How long opening one connection may take before UNAVAILABLE. Default 5,000 ms. */
  connectTimeoutMs?: number;
}

// Statements with a LIMIT placeholder or an IN list go through the text protocol (query()):
// mysql2 binds numbers as DOUBLE in prepared statements, which MySQL 8.0.22+ refuses for LIMIT ?,
// and each length of an IN list would be one more prepared statement on every connection. All
// others are prepared once per connection (execute()).
const UNPREPARED = /\bLIMIT\s+\?|\bIN\s*\(\s*\?/i;

/** Statements on the pool or on one of its connections. */
function runner(target: Pool | PoolConnection): SqlRunner {
  return {
    async read(sql: string, args: readonly SqlValue[] = []): Promise<SqlRow[]> {
      const values = [...args];
      const [rows] = UNPREPARED.test(sql) ? await target.query<RowDataPacket[]>(sql, values) : await target.execute<RowDataPacket[]>(sql, values);
      return rows;
    },
    // mysql2 connects with CLIENT_FOUND_ROWS: affectedRows of an UPDATE counts matched rows.
    async write(sql: string, args: readonly SqlValue[] = []): Promise<SqlWrite> {
      const [result] = await target.execute<ResultSetHeader>(sql, [...args]);
      return { affectedRows: result.affectedRows, insertId: Number(result.insertId), rows: [] };
    },
  };
}

/**
 * MySQL (or MariaDB) through a mysql2 connection pool. The pool connects lazily, so the
 * constructor does no I/O. Times are written and read as UTC.
 */
export class MysqlDialect implements SqlDialect {
  readonly name = 'MySQL';
  // MySQL's INSERT ... SELECT reads a snapshot under READ COMMITTED; a locking read does not.
  readonly lockReadRows = ' LOCK IN SHARE MODE';
  readonly #pool: Pool;
  readonly #runner: SqlRunner;
  readonly #logger: Logger;
  #closing: Promise<void> | undefined;

  constructor(options: MysqlStorageOptions) {
    this.#logger = options.logger ?? createLogger('storage');
    this.#pool = createPool({
      uri: options.url,
      connectionLimit: options.connectionLimit ?? 10,
      connectTimeout: options.connectTimeoutMs ?? 5_000,
      timezone: 'Z',
      charset: 'utf8mb4',
      // BIGINT ids come back as numbers while they fit in 2^53 (they will).
      supportBigNumbers: true,
    });
    this.#runner = runner(this.#pool);
  }

  read(sql: string, args?: readonly SqlValue[]): Promise<SqlRow[]> {
    return this.#runner.read(sql, args);
  }

  write(sql: string, args?: readonly SqlValue[]): Promise<SqlWrite> {
    return this.#runner.write(sql, args);
  }

  /**
   * On one pooled connection, run again (three times in all) when InnoDB chose it as a deadlock
   * victim. `recover` reads on the same connection: taking another from the pool while holding
   * this one could wait forever once every connection is held by such a lookup.
   */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>, recover?: Recover<T>): Promise<T> {
    return inTransaction(
      this.#pool,
      (connection) => work(runner(connection)),
      recover && ((connection, error) => recover(runner(connection), error)),
    );
  }

  /** LAST_INSERT_ID(x) makes the statement's insert id x: the stored value comes back with it. */
  async upsertCounter(db: SqlRunner, { table, columns, values, update, updateArgs }: CounterUpsert): Promise<number> {
    const marks = [...values.slice(0, -1).map(() => '?'), 'LAST_INSERT_ID(?)'].join(', ');
    const counter = columns.at(-1);
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${marks}) ON DUPLICATE KEY UPDATE ${counter} = LAST_INSERT_ID(${update})`;
    return (await db.write(sql, [...values, ...updateArgs])).insertId;
  }

  /** IGNORE turns the duplicate key into "no row", and other errors into warnings: values are checked before. */
  insertIgnore(into: string): string {
    return `INSERT IGNORE ${into}`;
  }

  greatest(a: string, b: string): string {
    return `GREATEST(${a}, ${b})`;
  }

  classify(error: unknown): SqlErrorKind | undefined {
    return classifyMysql(error);
  }

  async migrate(): Promise<void> {
    await migrateMysql(this.#pool, await loadMigrations('mysql'), this.#logger);
  }

  close(): Promise<void> {
    this.#closing ??= this.#pool.end();
    return this.#closing;
  }
}
