import { after, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { createLogger, infraDefaults } from '@imcluster/common';
import { EtcdRegistry } from '../src/registry.etcd.ts';
import { instanceKey } from '../src/etcd-keys.ts';
import type { ServiceInstance } from '../src/registry.ts';
import { registryContract, type DyingRegistrant } from './registry.contract.ts';
import { instance, randomNamespace, WatchRecorder } from './helpers.ts';

const endpoints = (process.env.IM_ETCD_ENDPOINTS ?? infraDefaults.etcdEndpoints).split(',');
const ttlSec = 2;
const logger = createLogger('registry-test', process.env.IM_LOG_LEVEL ?? 'silent');
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/register-and-wait.ts', import.meta.url));

/** Plays "another process" and "an operator": reads raw keys, revokes leases, cleans up. */
const admin = new Etcd3({ hosts: endpoints });
after(() => admin.close());

async function makeRegistry(t: TestContext, namespace = randomNamespace()): Promise<EtcdRegistry> {
  const registry = new EtcdRegistry({ endpoints, namespace, ttlSec, logger });
  t.after(async () => {
    await registry.close();
    await admin.delete().prefix(`/${namespace}/`).exec();
  });
  return registry;
}

/** Runs fixtures/register-and-wait.ts in a child process and waits until it has registered. */
async function spawnDyingRegistrant(t: TestContext, target: ServiceInstance): Promise<DyingRegistrant> {
  const namespace = randomNamespace();
  const observer = await makeRegistry(t, namespace);
  const child = spawn(process.execPath, [fixture], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      IM_ETCD_ENDPOINTS: endpoints.join(','),
      IM_NAMESPACE: namespace,
      TEST_TTL_SEC: String(ttlSec),
      TEST_INSTANCE: JSON.stringify(target),
    },
  });
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const registered = once(child.stdout, 'data');
  const exited = once(child, 'exit').then(([code]) => Promise.reject(new Error(`registrant exited early (${code})`)));
  await Promise.race([registered, exited]);
  return { observer, kill: () => child.kill('SIGKILL') };
}

registryContract('etcd', (t) => makeRegistry(t), { ttlSec, supportsExpiry: true, spawnDyingRegistrant });

describe('EtcdRegistry (etcd specifics)', () => {
  it('writes /<namespace>/services/<service>/<id> with the instance as JSON under a lease', async (t) => {
    const namespace = randomNamespace();
    const registry = await makeRegistry(t, namespace);
    const comet = instance('comet', 'comet-1');
    await registry.register(comet);
    const res = await admin.get(instanceKey(namespace, 'comet', 'comet-1')).exec();
    assert.equal(res.kvs.length, 1);
    assert.deepEqual(JSON.parse(res.kvs[0]!.value.toString()), comet);
    assert.notEqual(res.kvs[0]!.lease, '0');
  });

  it('registers again by itself when its lease is revoked behind its back', async (t) => {
    const namespace = randomNamespace();
    const registry = await makeRegistry(t, namespace);
    await registry.register(instance('comet', 'comet-1'));
    const recorder = new WatchRecorder();
    t.after(await registry.watch('comet', recorder.onChange));
    const key = instanceKey(namespace, 'comet', 'comet-1');
    const before = (await admin.get(key).exec()).kvs[0]!.lease;
    await admin.leaseClient.leaseRevoke({ ID: before });
    await recorder.until('revoked instance gone', []);
    const elapsed = await recorder.until('instance back', ['comet-1'], 10_000);
    const afterwards = (await admin.get(key).exec()).kvs[0]!.lease;
    assert.notEqual(afterwards, before, 'a new lease holds the key');
    t.diagnostic(`back ${elapsed} ms after it disappeared`);
  });

  it('removes its instances from other processes view at once when the registry closes', async (t) => {
    const namespace = randomNamespace();
    const registry = await makeRegistry(t, namespace);
    const observer = await makeRegistry(t, namespace);
    await registry.register(instance('job', 'job-1'));
    const recorder = new WatchRecorder();
    t.after(await observer.watch('job', recorder.onChange));
    assert.deepEqual(recorder.ids(), ['job-1']);
    await registry.close();
    await recorder.until('closed instance gone', [], 1_000);
  });

  it('rejects register() when etcd cannot be reached', async (t) => {
    const registry = new EtcdRegistry({ endpoints: ['http://127.0.0.1:1'], namespace: randomNamespace(), ttlSec, logger });
    t.after(() => registry.close());
    await assert.rejects(registry.register(instance('comet', 'comet-1')));
  });
});
