/**
 * The port between SqlStorage (one checked storage core, written once) and a SQL driver. A
 * dialect holds only what really differs between MySQL and SQLite: connections and
 * transactions, the upsert and insert-or-ignore syntax, how errors are classified, and the
 * migration runner. Everything else, the SQL included, is shared.
 */

/**
 * A value bound to a `?` placeholder. A Date is stored as the dialect's time type (MySQL
 * DATETIME(3) in UTC, SQLite Unix milliseconds) and read back with time().
 */
export type SqlValue = string | number | Date | null;

/** A result row, column name to value as the driver returns it: read it with text(), time(). */
export type SqlRow = Record<string, unknown>;

/** What a writing statement did. */
export interface SqlWrite {
  /** Rows matched: an UPDATE that sets a row to what it holds already counts it (as SQLite's changes()). */
  affectedRows: number;
  /** The auto-increment id of the row an INSERT added (or the value of MySQL's LAST_INSERT_ID(x)). */
  insertId: number;
  /** The rows of a RETURNING clause (SQLite); empty without one. */
  rows: SqlRow[];
}

/** Runs single statements: on the connection pool, or inside a transaction(). */
export interface SqlRunner {
  /** A statement that only reads. It never waits for a writer. */
  read(sql: string, args?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** A statement that writes (INSERT, UPDATE, DELETE), atomic on its own. */
  write(sql: string, args?: readonly SqlValue[]): Promise<SqlWrite>;
}

/**
 * After `work` was rolled back, may answer instead of failing: resolves a result, or undefined to
 * let the error through. `db` reads outside the rolled-back transaction.
 */
export type Recover<T> = (db: SqlRunner, error: unknown) => Promise<T | undefined>;

/** An upsert of one counter column; see SqlDialect.upsertCounter(). */
export interface CounterUpsert {
  table: string;
  /** The key columns, then the counter column last. */
  columns: readonly string[];
  /** One value per column: the key, then the counter's value for a new row. */
  values: readonly SqlValue[];
  /** SQL for the counter's new value in an existing row; it may name the counter column (its current value). */
  update: string;
  /** The values of the `?` placeholders in `update`. */
  updateArgs: readonly SqlValue[];
}

/** The storage error codes a driver error may stand for; anything else is a bug or a schema problem. */
export type SqlErrorKind = 'DUPLICATE' | 'UNAVAILABLE';

export interface SqlDialect extends SqlRunner {
  /** For error messages: "MySQL", "SQLite". */
  readonly name: string;
  /**
   * Runs `work` in a write transaction: commits when it resolves, rolls back when it rejects (then
   * lets `recover` answer, if given). Inside `work`, run every statement on `tx`, never on the
   * dialect itself. A transaction the database chose as a deadlock victim may run again.
   */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>, recover?: Recover<T>): Promise<T>;
  /**
   * Inserts the row, or when its key exists sets the counter column to `update`; resolves with the
   * counter's value after the statement, in the same round trip. Atomic on its own; inside a
   * transaction, the row stays locked until its end.
   */
  upsertCounter(db: SqlRunner, upsert: CounterUpsert): Promise<number>;
  /** `INSERT ${into}` that inserts nothing, and fails not, where the key exists already. */
  insertIgnore(into: string): string;
  /** The larger of two SQL expressions. */
  greatest(a: string, b: string): string;
  /**
   * Appended to the SELECT of an INSERT ... SELECT whose rows must be read as committed and kept
   * until the end of the statement's transaction (where writers run concurrently).
   */
  readonly lockReadRows: string;
  /** What a driver error stands for, if it is one the Storage contract names. */
  classify(error: unknown): SqlErrorKind | undefined;
  /** Applies the dialect's migrations not applied yet; safe from several processes at once. */
  migrate(): Promise<void>;
  /** Ends the connections once; later calls wait for the same end. */
  close(): Promise<void>;
}

/** A text column: VARBINARY comes back from MySQL as a Buffer of UTF-8. */
export function text(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

/** A time column: a Date from MySQL, Unix milliseconds from SQLite. */
export function time(value: unknown): Date {
  return value instanceof Date ? value : new Date(Number(value));
}

export function timeOrNull(value: unknown): Date | null {
  return value === null ? null : time(value);
}
