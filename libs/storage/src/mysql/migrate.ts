import type { Logger } from '@imcluster/common';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { Migration } from '../migrations.ts';
import { StorageError } from '../storage.ts';

const LOCK = 'imcluster_migrate';
const LOCK_TIMEOUT_SEC = 30;

const CREATE_SCHEMA_MIGRATIONS = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INT UNSIGNED NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4`;

/**
 * Applies the migrations not yet recorded in schema_migrations, in version order. MySQL commits
 * DDL implicitly, so a transaction cannot serialise concurrent migrators: a named server lock
 * held by one connection does. Waits up to 30 s for it.
 */
export async function migrateMysql(pool: Pool, migrations: readonly Migration[], logger: Logger): Promise<void> {
  const connection = await pool.getConnection();
  try {
    const [[lock]] = await connection.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS locked', [LOCK, LOCK_TIMEOUT_SEC]);
    if (lock?.locked !== 1) {
      throw new StorageError('UNAVAILABLE', `another process held the migration lock for ${LOCK_TIMEOUT_SEC} s`);
    }
    try {
      await connection.query(CREATE_SCHEMA_MIGRATIONS);
      const [rows] = await connection.query<RowDataPacket[]>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((row) => Number(row.version)));
      for (const migration of migrations.filter(({ version }) => !applied.has(version))) {
        for (const statement of migration.statements) {
          await connection.query(statement);
        }
        await connection.query('INSERT INTO schema_migrations (version, name) VALUES (?, ?)', [migration.version, migration.name]);
        logger.info({ version: migration.version, migration: migration.name }, 'mysql migration applied');
      }
    } finally {
      await connection.query('SELECT RELEASE_LOCK(?)', [LOCK]);
    }
  } finally {
    connection.release();
  }
}
