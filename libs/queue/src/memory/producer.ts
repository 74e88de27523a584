import { QueueError } from '../errors.ts';
import { partitionOf } from '../hash.ts';
import type { Producer, QueueMessage } from '../queue.ts';
import type { PartitionLog } from './log.ts';

export interface MemoryProducerOptions {
  logs: (topic: string) => readonly PartitionLog[] | undefined;
  maxBacklogPerPartition: number;
  onClose: (producer: MemoryProducer) => void;
}

/**
 * Appends to the memory logs. A send() is all or nothing: it rejects with QUEUE_FULL, storing
 * none of its messages, when any partition it touches would hold more than
 * `maxBacklogPerPartition` messages not yet committed by every group.
 */
export class MemoryProducer implements Producer {
  readonly #options: MemoryProducerOptions;
  #closed = false;

  constructor(options: MemoryProducerOptions) {
    this.#options = options;
  }

  async send(topic: string, messages: QueueMessage[]): Promise<void> {
    if (this.#closed) {
      throw new QueueError('CLOSED', 'the producer is closed');
    }
    const logs = this.#options.logs(topic);
    if (logs === undefined) {
      throw new QueueError('UNKNOWN_TOPIC', `topic ${topic} does not exist`);
    }
    const byPartition = groupByPartition(messages, logs.length);
    for (const [partition, batch] of byPartition) {
      const log = logs[partition]!;
      if (log.retained + batch.length > this.#options.maxBacklogPerPartition) {
        throw new QueueError('QUEUE_FULL', `partition ${partition} of ${topic} holds ${log.retained} unconsumed messages`);
      }
    }
    for (const [partition, batch] of byPartition) {
      logs[partition]!.append(batch);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#options.onClose(this);
  }
}

function groupByPartition(messages: readonly QueueMessage[], partitions: number): Map<number, QueueMessage[]> {
  const groups = new Map<number, QueueMessage[]>();
  for (const message of messages) {
    const partition = partitionOf(message.key, partitions);
    const group = groups.get(partition);
    if (group === undefined) {
      groups.set(partition, [message]);
    } else {
      group.push(message);
    }
  }
  return groups;
}
