import { readdir, readFile } from 'node:fs/promises';

/** One versioned schema change: `migrations/<dialect>/<NNN>_<name>.sql`. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export type Dialect = 'mysql' | 'sqlite';

const FILE = /^(\d+)_([\w-]+)\.sql$/;

/** The dialect's migrations in ascending version order. */
export async function loadMigrations(dialect: Dialect): Promise<Migration[]> {
  const dir = new URL(`../migrations/${dialect}/`, import.meta.url);
  const migrations: Migration[] = [];
  for (const file of await readdir(dir)) {
    const match = FILE.exec(file);
    if (match === null) {
      continue;
    }
    const sql = await readFile(new URL(file, dir), 'utf8');
    migrations.push({ version: Number(match[1]), name: match[2]!, statements: splitStatements(sql) });
  }
  migrations.sort((a, b) => a.version - b.version);
  const duplicate = migrations.find((migration, i) => i > 0 && migrations[i - 1]!.version === migration.version);
  if (duplicate !== undefined) {
    throw new Error(`two ${dialect} migrations have version ${duplicate.version}`);
  }
  return migrations;
}

/**
 * Splits a migration file into statements: comment lines dropped, a statement ends with `;` at
 * the end of a line. Deliberately simple; the files are ours and follow that rule.
 */
export function splitStatements(sql: string): string[] {
  const code = sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
  return code
    .split(/;\s*$/m)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
