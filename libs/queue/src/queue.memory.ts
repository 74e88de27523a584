import { createLogger, type Logger } from '@imcluster/common';
import { QueueError } from './errors.ts';
import { MemoryConsumer } from './memory/consumer.ts';
import { MemoryGroup } from './memory/group.ts';
import { PartitionLog } from './memory/log.ts';
import { MemoryProducer } from './memory/producer.ts';
import type { Consumer, Producer, Queue } from './queue.ts';

export interface MemoryQueueOptions {
  logger?: Logger;
  /**
   * Memory bound: messages a partition may hold that some group subscribed to its topic has not
   * committed yet (all of them while no group ever subscribed). A send() that would exceed it
   * rejects with QUEUE_FULL and stores nothing, so a stalled consumer pushes back on producers
   * instead of growing the heap. Default 100,000.
   */
  maxBacklogPerPartition?: number;
  /** Most messages handed to a handler at once. Default 500. */
  maxBatchMessages?: number;
  /** Pause before the first redelivery of a rejected batch, doubled per failure. Default 100 ms. */
  redeliveryBackoffMs?: number;
  /** Longest pause between redeliveries. Default 5,000 ms. */
  maxRedeliveryBackoffMs?: number;
}

/**
 * The queue of the single-process mode, with the contract of the Kafka one: topics of N
 * partitions, key -> partition by a stable hash, consumer groups sharing partitions, delivery in
 * order per partition, commit after the handler resolved, redelivery after a rejection.
 *
 * Not durable: everything is lost with the process. Messages are kept by reference, so a caller
 * must not reuse a value Buffer after send(). close() closes every producer and consumer it made
 * and leaves no timer behind.
 */
export class MemoryQueue implements Queue {
  readonly #logger: Logger;
  readonly #maxBacklogPerPartition: number;
  readonly #maxBatchMessages: number;
  readonly #redeliveryBackoffMs: number;
  readonly #maxRedeliveryBackoffMs: number;
  readonly #topics = new Map<string, PartitionLog[]>();
  readonly #groups = new Map<string, MemoryGroup>();
  readonly #producers = new Set<MemoryProducer>();
  readonly #consumers = new Set<MemoryConsumer>();
  #closed = false;

  constructor(options: MemoryQueueOptions = {}) {
    this.#logger = options.logger ?? createLogger('queue');
    this.#maxBacklogPerPartition = options.maxBacklogPerPartition ?? 100_000;
    this.#maxBatchMessages = options.maxBatchMessages ?? 500;
    this.#redeliveryBackoffMs = options.redeliveryBackoffMs ?? 100;
    this.#maxRedeliveryBackoffMs = options.maxRedeliveryBackoffMs ?? 5_000;
  }

  /** Creates the topic when missing; an existing topic keeps its partition count. */
  async ensureTopic(topic: string, partitions: number): Promise<void> {
    this.#checkOpen();
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
    }
    if (!this.#topics.has(topic)) {
      this.#topics.set(topic, Array.from({ length: partitions }, (_, partition) => new PartitionLog(partition)));
    }
  }

  async ping(): Promise<void> {
    this.#checkOpen();
  }

  async producer(): Promise<Producer> {
    this.#checkOpen();
    const producer = new MemoryProducer({
      logs: (topic) => this.#topics.get(topic),
      maxBacklogPerPartition: this.#maxBacklogPerPartition,
      onClose: (closed) => this.#producers.delete(closed),
    });
    this.#producers.add(producer);
    return producer;
  }

  /** The topics must exist (ensureTopic). A new group starts at the oldest retained message. */
  async consumer(groupId: string, topics: string[]): Promise<Consumer> {
    this.#checkOpen();
    const unknown = topics.filter((topic) => !this.#topics.has(topic));
    if (unknown.length > 0) {
      throw new QueueError('UNKNOWN_TOPIC', `unknown topics: ${unknown.join(', ')}`);
    }
    const consumer = new MemoryConsumer(this.#group(groupId), [...topics], (closed) => this.#consumers.delete(closed));
    this.#consumers.add(consumer);
    return consumer;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#consumers].map((consumer) => consumer.close()));
    await Promise.all([...this.#producers].map((producer) => producer.close()));
  }

  #group(groupId: string): MemoryGroup {
    let group = this.#groups.get(groupId);
    if (group === undefined) {
      group = new MemoryGroup({
        logs: (topic) => this.#topics.get(topic) ?? [],
        onCommit: (topic, partition) => this.#trim(topic, partition),
        maxBatchMessages: this.#maxBatchMessages,
        redeliveryBackoffMs: this.#redeliveryBackoffMs,
        maxRedeliveryBackoffMs: this.#maxRedeliveryBackoffMs,
        logger: this.#logger,
      });
      this.#groups.set(groupId, group);
    }
    return group;
  }

  /** Drops the messages of a partition that every group subscribed to its topic has committed. */
  #trim(topic: string, partition: number): void {
    let lowest = Infinity;
    for (const group of this.#groups.values()) {
      if (group.topics.has(topic)) {
        lowest = Math.min(lowest, group.committed(topic, partition));
      }
    }
    this.#topics.get(topic)?.[partition]?.trimBefore(lowest);
  }

  #checkOpen(): void {
    if (this.#closed) {
      throw new QueueError('CLOSED', 'the queue is closed');
    }
  }
}
