import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { Health, Metrics, parseMetrics } from '@imcluster/metrics';
import { encodePushMsg, type PushMsg } from '@imcluster/proto';
import { MemoryQueue, type QueueMessage } from '@imcluster/queue';
import { loadJobConfig } from '../src/config.ts';
import { Job } from '../src/job.ts';
import { cluster, credentials, logger, waitFor } from './helpers.ts';

const TOPIC = 'push';

/** A Job consuming a memory queue, pushing to fake comets c1 and c2; one comet call attempt per batch. */
async function setup(t: TestContext, env: Record<string, string> = {}) {
  const c = await cluster(t, ['c1', 'c2']);
  const queue = new MemoryQueue({ logger, redeliveryBackoffMs: 10, maxRedeliveryBackoffMs: 20 });
  const config = loadJobConfig({ IM_JOB_ID: 'job-test', IM_JOB_ROOM_BATCH_MS: '1', IM_JOB_PUSH_ATTEMPTS: '1', ...env });
  const [metrics, health] = [new Metrics(), new Health()];
  const job = new Job(config, { registry: c.registry, cluster: credentials, routing: c.routing, queue, logger, pushTopic: TOPIC, partitions: 2, groupId: 'jobs', id: 'job-test', metrics, health });
  t.after(async () => {
    await job.close();
    await queue.close();
  });
  await job.start();
  const producer = await queue.producer();
  const produce = (messages: QueueMessage[]) => producer.send(TOPIC, messages);
  return { ...c, job, produce, metrics, health };
}

/** The job.partitions readiness result and imcluster_job_partition_failures by partition, now. */
async function partitionHealth(s: { metrics: Metrics; health: Health }): Promise<{ check: string; failures: Record<string, number> }> {
  const check = (await s.health.ready()).checks['job.partitions'] ?? 'missing';
  const samples = parseMetrics((await s.metrics.scrape()).body).filter((sample) => sample.name === 'imcluster_job_partition_failures');
  return { check, failures: Object.fromEntries(samples.map((sample) => [sample.labels.partition ?? '', sample.value])) };
}

/** One queue message as logic produces it for a user push. */
function toUser(mid: number, body: string): QueueMessage {
  const msg: PushMsg = { type: 'MIDS', mids: [mid], operation: 1000, msg: Buffer.from(body), id: body, ts: Date.now(), force: false };
  return { key: `mid:${mid}`, value: encodePushMsg(msg) };
}

describe('Job', () => {
  it('hands one user\'s pushes to its comet in the order they were produced, one after another', async (t) => {
    const s = await setup(t);
    await s.routing.addConnection({ server: 'c1', key: 'k7', mid: 7, room: '' });
    s.comets.c1!.hold = true;
    await s.produce(['1', '2', '3'].map((body) => toUser(7, body)));
    await waitFor('the first push', () => s.comets.c1!.calls.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(s.comets.c1!.calls.length, 1, 'the next push of the key waits for the previous');
    s.comets.c1!.hold = false;
    s.comets.c1!.releaseAll();
    await waitFor('every push', () => s.comets.c1!.calls.length === 3);
    assert.deepEqual(s.comets.c1!.calls.map((c) => c.bodies[0]), ['1', '2', '3']);
  });

  it('leaves a batch a comet refused uncommitted: it comes again until the comet accepts it', async (t) => {
    const s = await setup(t);
    await s.routing.addConnection({ server: 'c2', key: 'k8', mid: 8, room: '' });
    s.comets.c2!.failNext = 2;
    await s.produce([toUser(8, 'must arrive')]);
    await waitFor('an accepted delivery', () => s.comets.c2!.accepted().length === 1);
    assert.deepEqual(s.comets.c2!.calls.map((c) => [c.refused, c.bodies[0]]), [
      [true, 'must arrive'],
      [true, 'must arrive'],
      [false, 'must arrive'],
    ]);
  });

  it('redelivers a refused batch only once every push of it settled: a comet still answering gets no second copy', async (t) => {
    const s = await setup(t);
    await s.routing.addConnection({ server: 'c1', key: 'k9a', mid: 9, room: '' });
    await s.routing.addConnection({ server: 'c2', key: 'k9b', mid: 9, room: '' });
    s.comets.c1!.failNext = 1;
    s.comets.c2!.hold = true;
    await s.produce([toUser(9, 'both devices')]);
    await waitFor('both comets called', () => s.comets.c1!.calls.length === 1 && s.comets.c2!.calls.length === 1);
    // The queue redelivers a failed batch after 10-20 ms: give it ten times that.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(s.comets.c1!.calls.length, 1, 'not redelivered while c2 still holds the push');
    s.comets.c2!.hold = false;
    s.comets.c2!.releaseAll();
    await waitFor('the redelivery accepted by c1', () => s.comets.c1!.accepted().length === 1);
    assert.deepEqual(s.comets.c2!.calls.map((c) => [c.refused, c.bodies[0]]), [[false, 'both devices']], 'c2 accepted it once and was skipped at redelivery');
  });

  it('reports a partition whose batch keeps failing in readiness and in the failures gauge, until the batch goes through', async (t) => {
    const s = await setup(t, { IM_JOB_STUCK_PARTITION_FAILURES: '3' });
    await s.routing.addConnection({ server: 'c2', key: 'k8', mid: 8, room: '' });
    assert.deepEqual(await partitionHealth(s), { check: 'ok', failures: { '0': 0, '1': 0 } });
    s.comets.c2!.failNext = Number.MAX_SAFE_INTEGER;
    await s.produce([toUser(8, 'held up')]);

    let now = await partitionHealth(s);
    await waitFor('job.partitions to fail', async () => (now = await partitionHealth(s)).check !== 'ok');
    const stuck = Object.keys(now.failures).filter((partition) => now.failures[partition]! >= 3);
    assert.equal(stuck.length, 1, `one partition at the threshold: ${JSON.stringify(now)}`);
    assert.match(now.check, new RegExp(`^stuck behind a failing batch \\(partition ${stuck[0]}: \\d+ failed deliveries in a row\\)`));
    assert.equal(Object.values(now.failures).filter((failures) => failures === 0).length, 1, 'the other partition flows');

    s.comets.c2!.failNext = 0;
    await waitFor('the push to go through', () => s.comets.c2!.accepted().length === 1);
    await waitFor(`ready again (${JSON.stringify(now)})`, async () => {
      now = await partitionHealth(s);
      return now.check === 'ok' && Object.values(now.failures).every((failures) => failures === 0);
    });
  });

  it('skips a message that is not a push instead of blocking its key', async (t) => {
    const s = await setup(t);
    await s.routing.addConnection({ server: 'c1', key: 'k9', mid: 9, room: '' });
    await s.produce([{ key: 'mid:9', value: Buffer.from([0xff, 0xff, 0xff]) }, toUser(9, 'after garbage')]);
    await waitFor('the valid push', () => s.comets.c1!.accepted().length === 1);
    assert.deepEqual(s.comets.c1!.accepted()[0]!.bodies, ['after garbage']);
  });
});
