import type { Logger } from '@imcluster/common';
import type { Admin } from 'kafkajs';
import { QueueError } from '../errors.ts';

/**
 * Creates the topic unless it exists, then waits until every partition has a leader.
 *
 * Race-safe: when several processes create the same topic, one wins and the others get
 * TOPIC_ALREADY_EXISTS (kafkajs answers false); those still wait for the leaders, which the winner
 * may not have yet. Replication factor: 3, or fewer on a smaller cluster; min.insync.replicas one
 * below it, so acks=all survives one replica down. An existing topic is left as it is: adding
 * partitions would move keys to other partitions and break their order.
 */
export async function ensureKafkaTopic(admin: Admin, topic: string, partitions: number, timeoutMs: number, logger: Logger): Promise<void> {
  const { brokers } = await admin.describeCluster();
  const replicationFactor = Math.min(3, brokers.length);
  const created = await admin.createTopics({
    waitForLeaders: true,
    timeout: timeoutMs,
    topics: [
      {
        topic,
        numPartitions: partitions,
        replicationFactor,
        configEntries: [{ name: 'min.insync.replicas', value: String(Math.max(1, replicationFactor - 1)) }],
      },
    ],
  });
  if (created) {
    logger.info({ topic, partitions, replicationFactor }, 'kafka topic created');
    return;
  }
  const existing = await waitForLeaders(admin, topic, timeoutMs);
  if (existing < partitions) {
    logger.warn({ topic, partitions: existing, wanted: partitions }, 'kafka topic has fewer partitions than configured');
  }
}

/** Polls the topic's metadata until every partition has a leader; returns the partition count. */
async function waitForLeaders(admin: Admin, topic: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const partitions = await partitionsWithLeader(admin, topic);
    if (partitions !== undefined) {
      return partitions;
    }
    if (Date.now() > deadline) {
      throw new QueueError('TIMEOUT', `partitions of ${topic} have no leader after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function partitionsWithLeader(admin: Admin, topic: string): Promise<number | undefined> {
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const metadata = topics[0]?.partitions ?? [];
    const ready = metadata.length > 0 && metadata.every((partition) => partition.leader >= 0);
    return ready ? metadata.length : undefined;
  } catch {
    return undefined; // the topic's metadata has not reached this broker yet
  }
}
