import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Health, Metrics, observabilityAnswer } from '../src/index.ts';

it('bound children are plain numbers until a scrape copies them into the exposition', async () => {
  const metrics = new Metrics();
  const frames = metrics.comet.framesWritten;
  frames.inc(3);
  frames.inc();
  metrics.comet.connections('ws', 'bili').inc();
  metrics.comet.auth(3504).inc();
  const { body, contentType } = await metrics.scrape();
  assert.match(contentType, /^text\/plain/);
  assert.match(body, /^imcluster_comet_frames_written_total 4$/m);
  assert.match(body, /^imcluster_comet_connections\{transport="ws",dialect="bili"\} 1$/m);
  assert.match(body, /^imcluster_comet_connections\{transport="tcp",dialect="goim"\} 0$/m, 'pre-bound children show 0');
  assert.match(body, /^imcluster_comet_auth_total\{code="3504"\} 1$/m);
  assert.equal(frames.value, 4, 'a scrape does not reset the count');
});

it('the roles of a standalone node share one registry without name clashes', async () => {
  const metrics = new Metrics();
  metrics.trackLease('comet', () => true);
  metrics.trackLease('job', () => false);
  void [metrics.comet, metrics.logic, metrics.job, metrics.grpc];
  metrics.grpc.server.observe('/imcluster.logic.Logic/Connect', 0, 0.002);
  metrics.grpc.server.observe('/imcluster.logic.Logic/Connect', 14, 0.5);
  const { body } = await metrics.scrape();
  assert.match(body, /^imcluster_registry_lease_held\{service="comet"\} 1$/m);
  assert.match(body, /^imcluster_registry_lease_held\{service="job"\} 0$/m);
  assert.match(body, /^imcluster_grpc_server_handled_total\{service="imcluster.logic.Logic",method="Connect",code="OK"\} 1$/m);
  assert.match(body, /^imcluster_grpc_server_handled_total\{service="imcluster.logic.Logic",method="Connect",code="UNAVAILABLE"\} 1$/m);
  assert.match(body, /^imcluster_grpc_server_handling_seconds_count\{service="imcluster.logic.Logic",method="Connect"\} 2$/m);
});

it('timed storage calls observe latency and count failures by method, with the real object as this', async () => {
  class Store {
    #rows = 2;
    async count(): Promise<number> {
      return this.#rows;
    }
    async broken(): Promise<void> {
      throw new Error('down');
    }
  }
  const metrics = new Metrics();
  const store = metrics.logic.timeStorage(new Store());
  assert.equal(await store.count(), 2);
  await assert.rejects(store.broken(), /down/);
  const { body } = await metrics.scrape();
  assert.match(body, /^imcluster_storage_operation_seconds_count\{operation="count"\} 1$/m);
  assert.match(body, /^imcluster_storage_errors_total\{operation="broken"\} 1$/m);
});

it('readiness names the failing checks, bounds slow ones, and recovers', async () => {
  const health = new Health(100);
  let down = true;
  health.add('a.ok', () => undefined);
  health.add('a.flaky', () => (down ? 'unreachable' : undefined));
  health.add('a.throws', async () => {
    if (down) throw new Error('refused');
    return undefined;
  });
  health.add('a.slow', () => (down ? new Promise<undefined>(() => undefined) : undefined));
  const metrics = new Metrics();
  const failing = await observabilityAnswer('/readyz', metrics, health);
  assert.equal(failing?.status, 503);
  assert.deepEqual(JSON.parse(failing!.body), {
    status: 'not ready',
    failing: ['a.flaky', 'a.slow', 'a.throws'],
    checks: { 'a.flaky': 'unreachable', 'a.ok': 'ok', 'a.slow': 'no answer within 100 ms', 'a.throws': 'refused' },
  });
  down = false;
  const ready = await observabilityAnswer('/readyz', metrics, health);
  assert.equal(ready?.status, 200);
  assert.equal((await observabilityAnswer('/healthz', metrics, health))?.status, 200);
  assert.equal(await observabilityAnswer('/other', metrics, health), undefined);
});
