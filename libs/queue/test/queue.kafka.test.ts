import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import { createLogger, infraDefaults } from '@imcluster/common';
import { QueueError } from '../src/errors.ts';
import { KafkaQueue, type KafkaQueueOptions } from '../src/queue.kafka.ts';
import { queueContract } from './queue.contract.ts';
import { keyedMessages, randomName } from './helpers.ts';

const brokers = (process.env.IM_KAFKA_BROKERS ?? infraDefaults.kafkaBrokers).split(',');
const logger = createLogger('queue-test', process.env.IM_LOG_LEVEL ?? 'silent');

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
    error instanceof QueueError && (error.code === 'UNAVAILABLE' || error.code === 'TIMEOUT');

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
