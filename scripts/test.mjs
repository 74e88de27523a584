#!/usr/bin/env node
// `pnpm test`: checks generated code and types, brings the local infrastructure up when it is not
// running (unless IM_SKIP_INFRA=1, for users who point IM_* at their own cluster), then runs every
// test file with node's test runner. Extra arguments are test files or folders to run instead.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);

function run(cmd, cmdArgs, options = {}) {
  const result = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...options });
  return result.status ?? 1;
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [dir];
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? testFiles(path) : name.endsWith('.test.ts') ? [path] : [];
  });
}

function step(name, status) {
  if (status === 0) return;
  console.error(`\n${name} failed`);
  process.exit(status);
}

step('generated protobuf check', run(process.execPath, ['scripts/proto-gen.mjs', '--check']));
step('typecheck', run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']));

if (process.env.IM_SKIP_INFRA !== '1') {
  const up = spawnSync('bash', ['scripts/infra/status.sh'], { cwd: root, stdio: 'ignore' }).status === 0;
  if (!up) step('infra:up', run('bash', ['scripts/infra/up.sh']));
}

const roots = args.length > 0 ? args : ['libs', 'services', 'test'];
const files = roots.flatMap((r) => testFiles(resolve(root, r))).map((f) => relative(root, f)).sort();
if (files.length === 0) step('finding tests', 1);
// Two files at a time: each integration file runs its own processes in its own namespace.
const concurrency = process.env.IM_TEST_CONCURRENCY ?? '2';
process.exit(run(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files]));
