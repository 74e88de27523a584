import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { createLogger, infraDefaults } from '@imcluster/common';
import { MysqlStorage } from '../src/storage.mysql.ts';
import { StorageError, type Storage } from '../src/storage.ts';
import { randomUserName, storageContract, type TestDatabase } from './storage.contract.ts';

const serverUrl = process.env.IM_MYSQL_URL ?? infraDefaults.mysqlUrl;
const logger = createLogger('storage-test', process.env.IM_LOG_LEVEL ?? 'silent');

/** `serverUrl` with another database name. */
function urlOf(database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs one statement on a connection of its own, as an operator would. */
async function admin<T extends RowDataPacket[]>(sql: string, database?: string): Promise<T> {
  const connection = await createConnection({ uri: database === undefined ? urlOf('') : urlOf(database) });
  try {
    const [rows] = await connection.query<T>(sql);
    return rows;
  } finally {
    await connection.end();
  }
}

function openStorage(t: TestContext, url: string): Storage {
  const storage = new MysqlStorage({ url, logger, connectionLimit: 4 });
  t.after(() => storage.close());
  return storage;
}

/** A fresh database `imt_<hex>`, dropped after the test (after its clients closed). */
async function mysqlDatabase(t: TestContext): Promise<TestDatabase> {
  const database = `imt_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
  t.after(() => admin(`DROP DATABASE IF EXISTS ${database}`));
  return {
    open: () => openStorage(t, urlOf(database)),
    appliedVersions: async () =>
      (await admin('SELECT version FROM schema_migrations ORDER BY version', database)).map((row) => Number(row.version)),
    execute: async (sql) => void (await admin(sql, database)),
  };
}

storageContract('mysql', 'mysql', mysqlDatabase);

describe('MysqlStorage (mysql specifics)', () => {
  it('rejects with UNAVAILABLE, carrying the cause, when the server is unreachable', async (t) => {
    const storage = openStorage(t, 'mysql://im:im@127.0.0.1:1/imcluster');
    const unavailable = (error: unknown): boolean => error instanceof StorageError && error.code === 'UNAVAILABLE' && error.cause !== undefined;
    await assert.rejects(storage.userByName(randomUserName()), unavailable);
    await assert.rejects(storage.migrate(), unavailable);
  });
});
