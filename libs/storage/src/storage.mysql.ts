import { createLogger, type Logger } from '@imcluster/common';
import { createPool, type Pool, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { loadMigrations } from './migrations.ts';
import { toStorageError } from './mysql/errors.ts';
import { migrateMysql } from './mysql/migrate.ts';
import type { Storage, User } from './storage.ts';

export interface MysqlStorageOptions {
  /** mysql://user:password@host:port/database */
  url: string;
  logger?: Logger;
  /** Connections of the pool. Default 10. */
  connectionLimit?: number;
  /** How long opening one connection may take before UNAVAILABLE. Default 5,000 ms. */
  connectTimeoutMs?: number;
}

interface UserRow extends RowDataPacket {
  id: number | string;
  name: string;
  password_hash: string;
  created_at: Date;
}

const USER_COLUMNS = 'id, name, password_hash, created_at';

/**
 * Storage on MySQL (or MariaDB) through a mysql2 connection pool. The pool connects lazily, so
 * the constructor does no I/O. Times are written and read as UTC.
 */
export class MysqlStorage implements Storage {
  readonly #pool: Pool;
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
  }

  async migrate(): Promise<void> {
    const migrations = await loadMigrations('mysql');
    await this.#run('migrate', () => migrateMysql(this.#pool, migrations, this.#logger));
  }

  async createUser(name: string, passwordHash: string): Promise<User> {
    // Our clock, not the server's: the returned user equals what a later read gives.
    const createdAt = new Date();
    const [result] = await this.#run(`createUser ${name}`, () =>
      this.#pool.execute<ResultSetHeader>('INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)', [
        name,
        passwordHash,
        createdAt,
      ]),
    );
    return { id: Number(result.insertId), name, passwordHash, createdAt };
  }

  async userById(id: number): Promise<User | undefined> {
    return this.#oneUser(`userById ${id}`, `SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, id);
  }

  async userByName(name: string): Promise<User | undefined> {
    return this.#oneUser(`userByName ${name}`, `SELECT ${USER_COLUMNS} FROM users WHERE name = ?`, name);
  }

  /** Ends the pool once; later calls wait for the same end. */
  close(): Promise<void> {
    this.#closing ??= this.#pool.end();
    return this.#closing;
  }

  async #oneUser(what: string, sql: string, arg: number | string): Promise<User | undefined> {
    const [rows] = await this.#run(what, () => this.#pool.execute<UserRow[]>(sql, [arg]));
    const row = rows[0];
    return row === undefined ? undefined : { id: Number(row.id), name: row.name, passwordHash: row.password_hash, createdAt: row.created_at };
  }

  /** Runs `work`, translating driver errors into StorageErrors. */
  async #run<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toStorageError(error, what);
    }
  }
}
