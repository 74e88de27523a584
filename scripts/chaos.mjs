#!/usr/bin/env node
// `pnpm test:chaos`: brings the clustered infrastructure up (scripts/infra/ha.sh: installs what is
// missing; idempotent), runs the fault-injection suite and the routing contract on the Redis
// Cluster with node's test runner, then stops that infrastructure again (IM_CHAOS_KEEP_INFRA=1
// keeps it). The per-fault table goes to test-results/chaos.md and chaos.json.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const projectNode = join(root, 'node_modules/.bin/node');
if (Number(process.versions.node.split('.')[0]) < 24 && existsSync(projectNode)) {
  process.exit(spawnSync(projectNode, [import.meta.filename, ...process.argv.slice(2)], { stdio: 'inherit' }).status ?? 1);
}
process.env.NODE_COMPILE_CACHE ??= join(root, 'node_modules/.cache/node-compile-cache');

const run = (cmd, args, options = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options }).status ?? 1;
const ha = join(root, 'scripts/infra/ha.sh');

const started = Date.now();
if (run('bash', [ha, 'up']) !== 0) {
  console.error('\nHA infrastructure did not come up');
  process.exit(1);
}
const env = Object.fromEntries(
  spawnSync('bash', [ha, 'env'], { cwd: root, encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .map((line) => line.split('=', 2)),
);
// One file per run of the test runner, in this order (a single run would sort them): the degraded
// modes, last, take most of the infrastructure down.
const files = ['libs/routing/test/routing.redis-cluster.test.ts', 'test/chaos/faults.chaos.ts', 'test/chaos/degraded.chaos.ts'];
let status = 0;
for (const file of files) {
  const code = run(process.execPath, ['--test', '--test-reporter=spec', file], { env: { ...process.env, ...env } });
  status ||= code;
}
if (process.env.IM_CHAOS_KEEP_INFRA !== '1') run('bash', [ha, 'down']);
console.log(`\ntest:chaos took ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(status);
