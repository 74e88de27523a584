import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { createLogger } from '@imcluster/common';
import { SqliteStorage } from '../src/storage.sqlite.ts';
import { StorageError, type Storage } from '../src/storage.ts';
import type { AppenderJob, AppenderResult } from './sqlite-appender.ts';
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
    execute: async (sql) => void (await query(url, sql)),
  };
}

/**
 * Runs one sqlite-appender process per job, lets them all start appending at the same moment and
 * resolves with what each got. Processes still running after the test are killed.
 */
async function appendFromProcesses(t: TestContext, jobs: AppenderJob[]): Promise<AppenderResult[]> {
  const children: ChildProcess[] = jobs.map((job) =>
    fork(new URL('./sqlite-appender.ts', import.meta.url), [JSON.stringify(job)], { execArgv: [] }),
  );
  t.after(() => {
    for (const child of children) if (child.exitCode === null) child.kill();
  });
  const failed = (child: ChildProcess) =>
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`appender exited with ${String(code)} before reporting`)));
  const reply = (child: ChildProcess) => Promise.race([once(child, 'message').then(([message]) => message as unknown), failed(child)]);
  await Promise.all(children.map(reply)); // 'ready'
  const results = children.map(reply);
  for (const child of children) child.send('go');
  return (await Promise.all(results)) as AppenderResult[];
}

storageContract('sqlite', 'sqlite', sqliteDatabase);

describe('SqliteStorage (sqlite specifics)', () => {
  it('puts the database file in WAL mode', async (t) => {
    const db = await sqliteDatabase(t);
    await db.open().migrate();
    assert.deepEqual(await query(db.url, 'PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
  });

  it('five processes appending 40 messages each to one conversation at once get exactly 1..200', { timeout: 60_000 }, async (t) => {
    const db = await sqliteDatabase(t);
    const storage = db.open();
    await storage.migrate();
    const conv = 'g:processes';
    const jobs = [1, 2, 3, 4, 5].map((sender) => ({ url: db.url, conv, sender, count: 40, concurrency: 4 }));
    const results = await appendFromProcesses(t, jobs);
    const seqs = results.flatMap(({ seqs }) => seqs).sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: 200 }, (_, i) => i + 1), 'no gap, no duplicate');
    const stored = await storage.messagesAfter(conv, 0, 1_000);
    assert.deepEqual(stored.map(({ seq }) => seq), seqs);
    assert.deepEqual(new Set(stored.map(({ sender, clientMsgId }) => `${sender}/${clientMsgId}`)).size, 200);
  });

  it('rejects with UNAVAILABLE when the file cannot be opened', async (t) => {
    const blocker = join(await tempDir(t), 'not-a-directory');
    await writeFile(blocker, '');
    const storage = openStorage(t, `file:${join(blocker, 'imcluster.db')}`);
    await assert.rejects(storage.migrate(), (error) => error instanceof StorageError && error.code === 'UNAVAILABLE');
    await assert.rejects(storage.userByName(randomUserName()), (error) => error instanceof StorageError && error.code === 'UNAVAILABLE');
  });
});
