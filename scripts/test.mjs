#!/usr/bin/env node
// `pnpm test`: checks generated code and types, brings the local infrastructure up when it is not
// running (unless IM_SKIP_INFRA=1, for users who point IM_* at their own cluster), then runs every
// test file with node's test runner. Extra arguments are test files or folders to run instead.
// `--unit` (`pnpm test:unit`) keeps only the fast tests: in-process, on the memory adapters, with
// no infrastructure and no spawned process; it never starts the infrastructure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const unit = process.argv.includes('--unit');
const args = process.argv.slice(2).filter((arg) => arg !== '--unit');

// Tests of libs/ and services/ are in-process, except the adapter suites named after a real
// backend (`<port>.<adapter>.test.ts`), the SQLite suite, which forks concurrent writers, and a
// package's test/integration/ folder. Everything under test/ starts processes.
const UNIT_ROOTS = ['libs', 'services'];
const NEEDS_MORE = /\.(kafka|etcd|redis|mysql|sqlite)[.-][\w.-]*test\.ts$|\/test\/integration\//;
const isUnit = (file) => UNIT_ROOTS.some((r) => file.startsWith(`${r}/`)) && !NEEDS_MORE.test(file);

// Tests run on what production runs: Node 24, TypeScript through its type stripping. Started by an
// older Node (a system one), hand over to the Node 24 the project installed (scripts/bootstrap.sh).
const projectNode = join(root, 'node_modules/.bin/node');
if (Number(process.versions.node.split('.')[0]) < 24) {
  if (!existsSync(projectNode)) {
    console.error(`Node ${process.versions.node} cannot run the tests: Node 24 is needed (bash scripts/bootstrap.sh installs it)`);
    process.exit(1);
  }
  process.exit(spawnSync(projectNode, [import.meta.filename, ...process.argv.slice(2)], { stdio: 'inherit' }).status ?? 1);
}
// Every process below reuses the type-stripped, compiled modules of the previous ones.
process.env.NODE_COMPILE_CACHE ??= join(root, 'node_modules/.cache/node-compile-cache');

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

if (!unit && process.env.IM_SKIP_INFRA !== '1') {
  const up = spawnSync('bash', ['scripts/infra/status.sh'], { cwd: root, stdio: 'ignore' }).status === 0;
  if (!up) step('infra:up', run('bash', ['scripts/infra/up.sh']));
}

const roots = args.length > 0 ? args : unit ? UNIT_ROOTS : ['libs', 'services', 'test'];
// test/deploy/ needs a Docker engine and builds images: `pnpm test:deploy` runs it.
const DEPLOY = /^test\/deploy\//;
const found = roots.flatMap((r) => testFiles(resolve(root, r))).map((f) => relative(root, f)).filter((f) => args.length > 0 || !DEPLOY.test(f)).sort();
const files = unit ? found.filter(isUnit) : found;
if (files.length === 0) step('finding tests', 1);
// Two files at a time: each integration file runs its own processes in its own namespace.
const concurrency = process.env.IM_TEST_CONCURRENCY ?? '2';
process.exit(run(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files]));
