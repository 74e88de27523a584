import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@imcluster/common';
import { QueueError } from '../src/errors.ts';
import { MemoryQueue, type MemoryQueueOptions } from '../src/queue.memory.ts';
import { queueContract } from './queue.contract.ts';
import { keyedMessages, randomName, Recorder, waitFor } from './helpers.ts';

const logger = createLogger('queue-test', process.env.IM_LOG_LEVEL ?? 'silent');

function memoryQueue(t: { after: (fn: () => Promise<void>) => void }, options: MemoryQueueOptions = {}): MemoryQueue {
  const queue = new MemoryQueue({ logger, redeliveryBackoffMs: 20, ...options });
  t.after(() => queue.close());
  return queue;
}

queueContract('memory', async (t) => memoryQueue(t), { deliveryTimeoutMs: 3_000 });

describe('MemoryQueue (memory specifics)', () => {
  it('rejects a send that would exceed the partition backlog, storing none of it', async (t) => {
    const queue = memoryQueue(t, { maxBacklogPerPartition: 5 });
    const topic = randomName('topic');
    await queue.ensureTopic(topic, 1);
    const producer = await queue.producer();
    await producer.send(topic, keyedMessages(1, 4));
    await assert.rejects(producer.send(topic, keyedMessages(1, 2)), (error) => error instanceof QueueError && error.reason === 'QUEUE_FULL');
    await producer.send(topic, keyedMessages(1, 1, 'last'));

    // Consumption frees the room again.
    const recorder = new Recorder();
    await (await queue.consumer(randomName('group'), [topic])).run(recorder.handler);
    await recorder.until(5, 1_000);
    await producer.send(topic, keyedMessages(1, 5, 'again'));
  });

  it('hands a partition to its next owner only after the batch in hand settled', async (t) => {
    const queue = memoryQueue(t);
    const topic = randomName('topic');
    await queue.ensureTopic(topic, 1);
    const group = randomName('group');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inHandlers = 0;
    let overlap = false;
    const slow = await queue.consumer(group, [topic]);
    await slow.run(async () => {
      inHandlers++;
      await held;
      inHandlers--;
    });
    const producer = await queue.producer();
    await producer.send(topic, keyedMessages(1, 1));
    await new Promise((resolve) => setImmediate(resolve));

    const next = new Recorder();
    const watching = await queue.consumer(group, [topic]);
    const closing = slow.close(); // the partition moves to `watching`...
    await watching.run(async (batch) => {
      overlap ||= inHandlers > 0;
      await next.handler(batch);
    });
    release(); // ...once the slow batch resolved, which commits it
    await closing;
    await producer.send(topic, keyedMessages(1, 1, 'later'));
    await next.until(1, 1_000);
    assert.equal(overlap, false);
    assert.deepEqual(next.values(), ['later0:0']);
  });

  it('leaves no timer behind after close(), even with a redelivery pending', async (t) => {
    const timers = (): number => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timers();
    const queue = new MemoryQueue({ logger, redeliveryBackoffMs: 60_000 });
    const topic = randomName('topic');
    await queue.ensureTopic(topic, 2);
    const failing = new Recorder(() => false);
    await (await queue.consumer(randomName('group'), [topic])).run(failing.handler);
    await (await queue.producer()).send(topic, keyedMessages(4, 1));
    await waitFor('a rejected batch', () => failing.rejected.length > 0, 1_000);
    assert.ok(timers() > before, 'a redelivery is scheduled');
    await queue.close();
    assert.equal(timers(), before);
    t.diagnostic(`timers before ${before}, after close ${timers()}`);
  });
});
