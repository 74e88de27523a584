import { createLogger, type Logger } from '@imcluster/common';
import { createClient, type Client, type ResultSet, type Transaction } from '@libsql/client';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CounterUpsert, Recover, SqlDialect, SqlErrorKind, SqlRow, SqlRunner, SqlValue, SqlWrite } from './dialect.ts';
import { loadMigrations } from './migrations.ts';
import { classifySqlite } from './sqlite/errors.ts';
import { migrateSqlite } from './sqlite/migrate.ts';
import { StorageError } from './storage.ts';

export interface SqliteStorageOptions {
  /** A file URL, e.g. `file:./data/imcluster.db` (relative to the working directory). */
  url: string;
  logger?: Logger;
  /** How long a write waits for another process' write lock before UNAVAILABLE. Default 5,000 ms. */
  busyTimeoutMs?: number;
}

// SQLite has one writer at a time per file, and the driver is synchronous: a writer that waits
// for the lock blocks its whole event loop, for up to the busy timeout. Were the lock held by a
// transaction of this same process, that transaction (which needs the loop to go on) could not
// finish: so every write of the process, on any SqliteDialect, waits for its turn here instead,
// and only waits in SQLite for the transactions of other processes. Reads never wait (WAL).
let lastWrite: Promise<unknown> = Promise.resolve();

function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const turn = lastWrite.then(() => work());
  lastWrite = turn.catch(() => undefined);
  return turn;
}

/** Statements on the client (`write` taking its turn) or inside a transaction (which has it). */
function runner(target: Client | Transaction, turn: <T>(work: () => Promise<T>) => Promise<T>): SqlRunner {
  return {
    async read(sql: string, args: readonly SqlValue[] = []): Promise<SqlRow[]> {
      return (await target.execute({ sql, args: [...args] })).rows;
    },
    async write(sql: string, args: readonly SqlValue[] = []): Promise<SqlWrite> {
      return toWrite(await turn(() => target.execute({ sql, args: [...args] })));
    },
  };
}

function toWrite({ rowsAffected, lastInsertRowid, rows }: ResultSet): SqlWrite {
  return { affectedRows: rowsAffected, insertId: Number(lastInsertRowid ?? 0), rows };
}

/**
 * One SQLite file (libsql), for the single-process mode. WAL journal: readers do not block the
 * writer and a commit is durable when it returns. The file and its directory are created at the
 * first operation, not by the constructor.
 *
 * Transactions are BEGIN IMMEDIATE: a transaction takes the write lock first, so writers queue
 * for it (across processes too, waiting up to busyTimeoutMs) and never deadlock. Within the
 * process they take turns (see inTurn).
 */
export class SqliteDialect implements SqlDialect {
  readonly name = 'SQLite';
  // Writers never run concurrently: what an INSERT ... SELECT reads stays as it is until commit.
  readonly lockReadRows = '';
  readonly #url: string;
  readonly #logger: Logger;
  readonly #busyTimeoutMs: number;
  #client: Promise<Client> | undefined;

  constructor(options: SqliteStorageOptions) {
    this.#url = options.url;
    this.#logger = options.logger ?? createLogger('storage');
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  }

  async read(sql: string, args?: readonly SqlValue[]): Promise<SqlRow[]> {
    return runner(await this.#open(), inTurn).read(sql, args);
  }

  async write(sql: string, args?: readonly SqlValue[]): Promise<SqlWrite> {
    return runner(await this.#open(), inTurn).write(sql, args);
  }

  /** `recover` runs after the turn, reading on the client. */
  async transaction<T>(work: (tx: SqlRunner) => Promise<T>, recover?: Recover<T>): Promise<T> {
    const client = await this.#open();
    try {
      return await inTurn(async () => {
        const tx = await client.transaction('write');
        try {
          const result = await work(runner(tx, (statement) => statement()));
          await tx.commit();
          return result;
        } finally {
          tx.close(); // rolls back unless committed
        }
      });
    } catch (error) {
      const recovered = recover ? await recover(this, error) : undefined;
      if (recovered !== undefined) return recovered;
      throw error;
    }
  }

  async upsertCounter(db: SqlRunner, { table, columns, values, update, updateArgs }: CounterUpsert): Promise<number> {
    const counter = columns.at(-1);
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values.map(() => '?').join(', ')})
      ON CONFLICT (${columns.slice(0, -1).join(', ')}) DO UPDATE SET ${counter} = ${update} RETURNING ${counter} AS value`;
    const { rows } = await db.write(sql, [...values, ...updateArgs]);
    return Number(rows[0]?.value);
  }

  /** Only a conflict on a key is skipped (unlike INSERT OR IGNORE, which also skips a failed CHECK). */
  insertIgnore(into: string): string {
    return `INSERT ${into} ON CONFLICT DO NOTHING`;
  }

  greatest(a: string, b: string): string {
    return `max(${a}, ${b})`;
  }

  classify(error: unknown): SqlErrorKind | undefined {
    return classifySqlite(error);
  }

  async migrate(): Promise<void> {
    const migrations = await loadMigrations('sqlite');
    await this.#open(); // creates the file in WAL mode before the migrator's own connection
    await inTurn(() => migrateSqlite(this.#url, migrations, this.#logger));
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    (await client?.catch(() => undefined))?.close();
  }

  /** Opens the database once (in turn: switching to WAL writes); a failed open is tried again by the next call. */
  #open(): Promise<Client> {
    if (this.#client === undefined) {
      const opening = inTurn(() => openClient(this.#url, this.#busyTimeoutMs));
      opening.catch(() => {
        if (this.#client === opening) this.#client = undefined;
      });
      this.#client = opening;
    }
    return this.#client;
  }
}

/** Directory, file, WAL mode (a property of the file, kept across opens). */
async function openClient(url: string, busyTimeoutMs: number): Promise<Client> {
  const path = localPath(url);
  if (path === undefined) {
    // The migrator opens a second connection; an in-memory database would be a different one.
    throw new Error(`SqliteStorage needs a file: URL with a path, got ${url}`);
  }
  let client: Client | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    client = createClient({ url, timeout: busyTimeoutMs });
    await client.execute('PRAGMA journal_mode = WAL');
    return client;
  } catch (error) {
    client?.close();
    throw new StorageError('UNAVAILABLE', `cannot open the SQLite database ${path}`, { cause: error });
  }
}

/** The file path of a `file:` URL; undefined for in-memory databases. */
function localPath(url: string): string | undefined {
  if (!url.startsWith('file:') || url.includes(':memory:')) {
    return undefined;
  }
  const rest = url.slice('file:'.length).split('?')[0]!;
  return rest.startsWith('//') ? fileURLToPath(url.split('?')[0]!) : rest;
}
