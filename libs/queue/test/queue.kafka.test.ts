import { after, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { createLogger, infraDefaults } from '@imcluster/common';
import { QueueError } from '../src/errors.ts';
import { KafkaQueue, type KafkaQueueOptions } from '../src/queue.kafka.ts';
import { queueContract } from './queue.contract.ts';
import { keyedMessages, randomName, Recorder } from './helpers.ts';

const brokers = (process.env.IM_KAFKA_BROKERS ?? infraDefaults.kafkaBrokers).split(',');
const logger = createLogger('queue-test', process.env.IM_LOG_LEVEL ?? 'silent');
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const hangingMember = fileURLToPath(new URL('./fixtures/consume-and-hang.ts', import.meta.url));
const created = { topics: [] as string[], groups: [] as string[] };

function kafkaQueue(t: TestContext, options: Partial<KafkaQueueOptions> = {}): KafkaQueue {
  const queue = new KafkaQueue({
    brokers,
    clientId: randomName('queue-test'),
    logger,
    consumer: { redeliveryBackoffMs: 50 },
    ...options,
  });
  t.after(() => queue.close());
  return queue;
}

/** Deletes the suite's topics and groups, so test runs do not pile up on the local broker. */
async function cleanup({ topics, groups }: { topics: string[]; groups: string[] }): Promise<void> {
  const admin = new Kafka({ brokers, clientId: 'queue-test-cleanup', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.deleteGroups(groups).catch(() => undefined);
    await admin.deleteTopics({ topics }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

queueContract('kafka', async (t) => kafkaQueue(t), { deliveryTimeoutMs: 30_000, cleanup });

describe('KafkaQueue (kafka specifics)', () => {
  const unreachable = { brokers: ['127.0.0.1:1'], retries: 2 };
  const failsFast = (error: unknown): boolean =>
    error instanceof QueueError && (error.reason === 'UNAVAILABLE' || error.reason === 'TIMEOUT');

  it('send() rejects when no broker is reachable, instead of waiting for one', { timeout: 30_000 }, async (t) => {
    const queue = kafkaQueue(t, unreachable);
    const producer = await queue.producer();
    await assert.rejects(producer.send(randomName('topic'), keyedMessages(3, 2)), failsFast);
    await assert.rejects(producer.send(randomName('topic'), keyedMessages(1, 1)), failsFast, 'and again on the next try');
  });

  it('ensureTopic() and run() reject when no broker is reachable', { timeout: 30_000 }, async (t) => {
    const queue = kafkaQueue(t, unreachable);
    await assert.rejects(queue.ensureTopic(randomName('topic'), 1), failsFast);
    const consumer = await queue.consumer(randomName('group'), [randomName('topic')]);
    await assert.rejects(consumer.run(async () => undefined), failsFast);
  });
});

describe('KafkaQueue (a member killed with SIGKILL)', () => {
  after(() => cleanup(created));

  it('its partitions and uncommitted batch move to the others after the session timeout', { timeout: 60_000 }, async (t) => {
    const queue = kafkaQueue(t);
    const [topic, group] = [randomName('topic'), randomName('group')];
    created.topics.push(topic);
    created.groups.push(group);
    await queue.ensureTopic(topic, 4);
    const staying = new Recorder();
    await (await queue.consumer(group, [topic])).run(staying.handler);

    const child = spawn(process.execPath, ['--import', 'tsx', hangingMember], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TEST_BROKERS: brokers.join(','), TEST_TOPIC: topic, TEST_GROUP: group },
    });
    t.after(() => void child.kill('SIGKILL'));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    assert.deepEqual((await lines.next()).value, 'joined');

    const messages = keyedMessages(20, 5);
    await (await queue.producer()).send(topic, messages);
    assert.deepEqual((await lines.next()).value, 'batch');
    const killedAt = Date.now();
    child.kill('SIGKILL');
    await once(child, 'exit');

    await staying.until(messages.length, 40_000);
    const movedAfterMs = Date.now() - killedAt;
    t.diagnostic(`partitions moved ${movedAfterMs} ms after the kill`);
    assert.ok(movedAfterMs < 25_000, `moved after ${movedAfterMs} ms`);
  });
});
