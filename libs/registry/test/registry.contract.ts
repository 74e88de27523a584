import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Registry, ServiceInstance } from '../src/registry.ts';
import { instance, WatchRecorder } from './helpers.ts';

export interface RegistryContractOptions {
  /** TTL the factory configures. */
  ttlSec: number;
  /** Whether instances of a dead process expire by themselves (false for the in-process adapter). */
  supportsExpiry: boolean;
  /**
   * Required with supportsExpiry: registers `instance` from another process, returns a registry on
   * the same namespace to observe it and a function that kills that process with SIGKILL.
   */
  spawnDyingRegistrant?: (t: TestContext, instance: ServiceInstance) => Promise<DyingRegistrant>;
}

export interface DyingRegistrant {
  observer: Registry;
  kill: () => void;
}

/**
 * The Registry contract, run against every adapter. `makeRegistry` returns a registry on a fresh
 * namespace and registers its own cleanup on `t`.
 */
export function registryContract(
  name: string,
  makeRegistry: (t: TestContext) => Promise<Registry>,
  opts: RegistryContractOptions,
): void {
  describe(`Registry contract: ${name}`, () => {
    it('lists a registered instance before register() resolves', async (t) => {
      const registry = await makeRegistry(t);
      const comet = instance('comet', 'comet-1', 3101);
      await registry.register(comet);
      assert.deepEqual(await registry.list('comet'), [comet]);
      assert.deepEqual(await registry.list('logic'), []);
    });

    it('lists several instances ordered by id, per service', async (t) => {
      const registry = await makeRegistry(t);
      await registry.register(instance('comet', 'comet-b'));
      await registry.register(instance('comet', 'comet-a'));
      await registry.register(instance('job', 'job-1'));
      assert.deepEqual((await registry.list('comet')).map((i) => i.id), ['comet-a', 'comet-b']);
      assert.deepEqual((await registry.list('job')).map((i) => i.id), ['job-1']);
    });

    it('delivers the current list first, then every change', async (t) => {
      const registry = await makeRegistry(t);
      await registry.register(instance('comet', 'comet-1'));
      const recorder = new WatchRecorder();
      const stop = await registry.watch('comet', recorder.onChange);
      t.after(stop);
      assert.deepEqual(recorder.calls.map((c) => c.map((i) => i.id)), [['comet-1']], 'initial list before watch() resolves');
      const second = await registry.register(instance('comet', 'comet-2'));
      await recorder.until('second instance', ['comet-1', 'comet-2']);
      await second.close();
      await recorder.until('second instance gone', ['comet-1']);
      assert.deepEqual(recorder.calls.at(-1), [instance('comet', 'comet-1')], 'watchers get whole instances');
    });

    it('delivers an empty initial list for an unknown service', async (t) => {
      const registry = await makeRegistry(t);
      const recorder = new WatchRecorder();
      t.after(await registry.watch('nobody', recorder.onChange));
      assert.deepEqual(recorder.calls, [[]]);
    });

    it('removes an instance at once when its registration closes', async (t) => {
      const registry = await makeRegistry(t);
      const registration = await registry.register(instance('logic', 'logic-1'));
      await registration.close();
      assert.deepEqual(await registry.list('logic'), []);
      await registration.close(); // idempotent
    });

    it('replaces an instance registered again under the same id; the older registration no longer removes it', async (t) => {
      const registry = await makeRegistry(t);
      const first = await registry.register(instance('comet', 'comet-1', 1));
      await registry.register(instance('comet', 'comet-1', 2));
      assert.deepEqual(await registry.list('comet'), [instance('comet', 'comet-1', 2)]);
      await first.close();
      assert.deepEqual(await registry.list('comet'), [instance('comet', 'comet-1', 2)]);
    });

    it('never overlaps callbacks, even async ones', async (t) => {
      const registry = await makeRegistry(t);
      let running = 0;
      let overlapped = false;
      const seen: number[] = [];
      const stop = await registry.watch('comet', async (list) => {
        running += 1;
        if (running > 1) overlapped = true;
        await sleep(30);
        seen.push(list.length);
        running -= 1;
      });
      t.after(stop);
      await Promise.all(['a', 'b', 'c', 'd'].map((id) => registry.register(instance('comet', id))));
      const deadline = Date.now() + 5_000;
      while (seen.at(-1) !== 4 && Date.now() < deadline) await sleep(20);
      assert.equal(seen.at(-1), 4, 'the last call carries the final list');
      assert.equal(overlapped, false);
    });

    it('stops calling back once the watch is stopped', async (t) => {
      const registry = await makeRegistry(t);
      const recorder = new WatchRecorder();
      const stop = await registry.watch('comet', recorder.onChange);
      await stop();
      await registry.register(instance('comet', 'comet-1'));
      await sleep(200);
      assert.deepEqual(recorder.calls, [[]]);
    });

    it('copies instances, so a caller mutating its object changes nothing stored', async (t) => {
      const registry = await makeRegistry(t);
      const comet: ServiceInstance = instance('comet', 'comet-1');
      await registry.register(comet);
      comet.addrs.grpc = 'mutated';
      (await registry.list('comet'))[0]!.addrs.grpc = 'mutated too';
      assert.equal((await registry.list('comet'))[0]!.addrs.grpc, '127.0.0.1:3000');
    });

    it('rejects service names that would break the key layout', async (t) => {
      const registry = await makeRegistry(t);
      await assert.rejects(registry.register(instance('co/met', 'x')));
    });

    it(`keeps a live instance past its TTL (${opts.ttlSec} s)`, async (t) => {
      const registry = await makeRegistry(t);
      await registry.register(instance('comet', 'comet-1'));
      await sleep(opts.ttlSec * 1_000 * 1.5);
      assert.deepEqual((await registry.list('comet')).map((i) => i.id), ['comet-1']);
    });

    if (opts.supportsExpiry) {
      it(`forgets an instance whose process died, within its TTL (${opts.ttlSec} s)`, async (t) => {
        assert.ok(opts.spawnDyingRegistrant, 'supportsExpiry needs spawnDyingRegistrant');
        const doomed = instance('comet', 'comet-doomed');
        const { observer, kill } = await opts.spawnDyingRegistrant(t, doomed);
        const recorder = new WatchRecorder();
        t.after(await observer.watch('comet', recorder.onChange));
        assert.deepEqual(recorder.ids(), ['comet-doomed']);
        kill();
        const elapsed = await recorder.until('dead instance expired', [], (opts.ttlSec + 3) * 1_000);
        assert.deepEqual(await observer.list('comet'), []);
        t.diagnostic(`gone ${elapsed} ms after SIGKILL`);
      });
    }
  });
}
