import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { createLogger } from '@imcluster/common';
import { SqliteStorage } from '../src/storage.sqlite.ts';
import { StorageError, type Storage } from '../src/storage.ts';
import { randomUserName, storageContract, type TestDatabase } from './storage.contract.ts';

const logger = createLogger('storage-test', process.env.IM_LOG_LEVEL ?? 'silent');

/** A directory of its own, removed after the test. */
async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'imcluster-sqlite-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function openStorage(t: TestContext, url: string): Storage {
  const storage = new SqliteStorage({ url, logger });
  t.after(() => storage.close());
  return storage;
}

/** Reads the file with a plain client, as an operator would. */
async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = createClient({ url });
  try {
    return (await client.execute(sql)).rows.map((row) => ({ ...row }));
  } finally {
    client.close();
  }
}

async function sqliteDatabase(t: TestContext): Promise<TestDatabase & { url: string }> {
  // A subdirectory that does not exist yet: the storage creates it.
  const url = `file:${join(await tempDir(t), 'data', 'imcluster.db')}`;
  return {
    url,
    open: () => openStorage(t, url),
    appliedVersions: async () => (await query(url, 'SELECT version FROM schema_migrations ORDER BY version')).map((row) => Number(row.version)),
  };
}

storageContract('sqlite', 'sqlite', sqliteDatabase);

describe('SqliteStorage (sqlite specifics)', () => {
  it('puts the database file in WAL mode', async (t) => {
    const db = await sqliteDatabase(t);
    await db.open().migrate();
    assert.deepEqual(await query(db.url, 'PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
  });

  it('rejects with UNAVAILABLE when the file cannot be opened', async (t) => {
    const blocker = join(await tempDir(t), 'not-a-directory');
    await writeFile(blocker, '');
    const storage = openStorage(t, `file:${join(blocker, 'imcluster.db')}`);
    await assert.rejects(storage.migrate(), (error) => error instanceof StorageError && error.code === 'UNAVAILABLE');
    await assert.rejects(storage.userByName(randomUserName()), (error) => error instanceof StorageError && error.code === 'UNAVAILABLE');
  });
});
