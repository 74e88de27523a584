import type { Pool, PoolConnection } from 'mysql2/promise';
import { errorCode } from './errors.ts';

// InnoDB rolls a deadlock victim's transaction back whole, so running it again is safe.
const DEADLOCK_ATTEMPTS = 3;

/**
 * After a rolled-back `work`, may answer from the same connection (outside the transaction)
 * instead of failing: resolves a result, or undefined to let the error through.
 */
export type Recover<T> = (connection: PoolConnection, error: unknown) => Promise<T | undefined>;

/**
 * Runs `work` in a transaction on one pooled connection: commits when it resolves, rolls back
 * when it rejects (then lets `recover` answer, if given), and runs it again (up to three times in
 * all) when InnoDB chose it as a deadlock victim. A connection whose rollback failed is destroyed,
 * not pooled.
 */
export async function inTransaction<T>(pool: Pool, work: (connection: PoolConnection) => Promise<T>, recover?: Recover<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(pool, work, recover);
    } catch (error) {
      if (errorCode(error) !== 'ER_LOCK_DEADLOCK' || attempt >= DEADLOCK_ATTEMPTS) {
        throw error;
      }
    }
  }
}

async function once<T>(pool: Pool, work: (connection: PoolConnection) => Promise<T>, recover?: Recover<T>): Promise<T> {
  const connection = await pool.getConnection();
  let reusable = true;
  try {
    await connection.beginTransaction();
    try {
      const result = await work(connection);
      await connection.commit();
      return result;
    } catch (error) {
      reusable = await rollback(connection);
      const recovered = reusable && recover ? await recover(connection, error) : undefined;
      if (recovered !== undefined) return recovered;
      throw error;
    }
  } finally {
    if (reusable) {
      connection.release();
    } else {
      connection.destroy();
    }
  }
}

/** Rolls back; false when that failed and the connection must not go back to the pool. */
async function rollback(connection: PoolConnection): Promise<boolean> {
  try {
    await connection.rollback();
    return true;
  } catch {
    return false;
  }
}
