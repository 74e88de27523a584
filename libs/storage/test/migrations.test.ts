import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadMigrations, splitStatements } from '../src/migrations.ts';

describe('migrations', () => {
  it('exist with the same versions and names for every dialect', async () => {
    const [mysql, sqlite] = await Promise.all([loadMigrations('mysql'), loadMigrations('sqlite')]);
    const ids = (list: typeof mysql) => list.map(({ version, name }) => `${version}_${name}`);
    assert.ok(mysql.length > 0);
    assert.deepEqual(ids(sqlite), ids(mysql));
    assert.deepEqual(ids(mysql), [...ids(mysql)].sort(), 'ascending');
  });

  it('splitStatements drops comment lines and splits at a semicolon ending a line', () => {
    const sql = ['-- a comment; not a statement', 'CREATE TABLE a (', "  x TEXT DEFAULT 'a;b'", ');', '', 'CREATE INDEX i ON a (x) ;  ', '-- trailing'].join('\n');
    assert.deepEqual(splitStatements(sql), ["CREATE TABLE a (\n  x TEXT DEFAULT 'a;b'\n)", 'CREATE INDEX i ON a (x)']);
  });
});
