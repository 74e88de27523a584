import type { Logger } from '@imcluster/common';
import { createClient, type Client } from '@libsql/client';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Migration } from '../migrations.ts';
import { StorageError } from '../storage.ts';
import { sqliteCode } from './errors.ts';

const LOCK_TIMEOUT_MS = 30_000;

const CREATE_SCHEMA_MIGRATIONS = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
)`;

/**
 * Applies the migrations not yet recorded in schema_migrations, all in one BEGIN IMMEDIATE
 * transaction: a concurrent migrator waits for the write lock and then finds them applied.
 *
 * It uses a connection of its own with no busy timeout and waits for the lock by polling. The
 * driver is synchronous: a busy timeout would block the event loop, and with it a migrator in
 * the same process that holds the lock and needs the loop to finish.
 */
export async function migrateSqlite(url: string, migrations: readonly Migration[], logger: Logger): Promise<void> {
  const client = createClient({ url, timeout: 0 });
  try {
    const tx = await beginImmediate(client);
    try {
      await tx.execute(CREATE_SCHEMA_MIGRATIONS);
      const { rows } = await tx.execute('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((row) => Number(row.version)));
      for (const migration of migrations.filter(({ version }) => !applied.has(version))) {
        for (const statement of migration.statements) {
          await tx.execute(statement);
        }
        await tx.execute({
          sql: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
          args: [migration.version, migration.name, Date.now()],
        });
        logger.info({ version: migration.version, migration: migration.name }, 'sqlite migration applied');
      }
      await tx.commit();
    } finally {
      tx.close();
    }
  } finally {
    client.close();
  }
}

async function beginImmediate(client: Client): Promise<Awaited<ReturnType<Client['transaction']>>> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.transaction('write');
    } catch (error) {
      if (sqliteCode(error).code !== 'SQLITE_BUSY') {
        throw error;
      }
      if (Date.now() > deadline) {
        throw new StorageError('UNAVAILABLE', `the SQLite write lock was busy for ${LOCK_TIMEOUT_MS} ms`, { cause: error });
      }
      await sleep(Math.min(200, 5 * 2 ** attempt));
    }
  }
}
