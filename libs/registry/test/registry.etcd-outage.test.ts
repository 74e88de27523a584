// etcd going away and coming back: the lease and watch recovery paths of EtcdRegistry, on a
// private etcd this file starts and kills (the shared one is never touched).
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@imcluster/common';
import { EtcdRegistry } from '../src/registry.etcd.ts';
import { EtcdProcess, etcdInstalled } from './etcd-process.ts';
import { instance, randomNamespace, WatchRecorder } from './helpers.ts';

const ttlSec = 2;
const logger = createLogger('registry-test', process.env.IM_LOG_LEVEL ?? 'silent');

/** Test resources, closed in reverse order of creation (registries first, then their etcd). */
class Resources {
  readonly #closers: (() => Promise<void>)[] = [];

  constructor(t: TestContext) {
    t.after(async () => {
      for (const close of this.#closers.reverse()) await close();
    });
  }

  async etcd(): Promise<EtcdProcess> {
    const etcd = await EtcdProcess.create();
    this.#closers.push(() => etcd.destroy());
    await etcd.start();
    return etcd;
  }

  registry(etcd: EtcdProcess, namespace: string): EtcdRegistry {
    const registry = new EtcdRegistry({ endpoints: [etcd.endpoint], namespace, ttlSec, logger });
    this.#closers.push(() => registry.close());
    return registry;
  }
}

/**
 * Registers comet-1 and watches from another client, kills etcd for longer than twice the TTL
 * (so the client declares the lease lost), restarts it, then checks that comet-1 is back and that
 * a registration made after the restart reaches the old watch.
 */
async function survivesOutage(t: TestContext, wipe: boolean): Promise<void> {
  const resources = new Resources(t);
  const etcd = await resources.etcd();
  const namespace = randomNamespace();
  await resources.registry(etcd, namespace).register(instance('comet', 'comet-1'));
  const recorder = new WatchRecorder();
  await resources.registry(etcd, namespace).watch('comet', recorder.onChange);
  assert.deepEqual(recorder.ids(), ['comet-1']);

  await etcd.kill();
  await sleep(ttlSec * 2_000 + 1_500);
  await etcd.start({ wipe });

  await resources.registry(etcd, namespace).register(instance('comet', 'comet-2'));
  const elapsed = await recorder.until('both instances after the restart', ['comet-1', 'comet-2'], 20_000);
  t.diagnostic(`watch consistent ${elapsed} ms after the restarted etcd took a new registration`);
}

describe('EtcdRegistry across etcd outages', { concurrency: true, skip: !etcdInstalled() && 'no etcd binary on PATH' }, () => {
  it('re-registers and resumes the watch after etcd restarts with its data', (t) => survivesOutage(t, false));
  it('re-registers and resynchronises the watch after etcd restarts empty (revisions start over)', (t) => survivesOutage(t, true));
});
