import type { Producer as KafkaJsProducer, TopicMessages } from 'kafkajs';
import { MicroBatcher, type EntrySize } from '../batcher.ts';
import { toQueueError } from '../errors.ts';
import type { Producer, QueueMessage } from '../queue.ts';
import { withDeadline } from './deadline.ts';

export interface KafkaProducerSettings {
  /** Broker-side wait for the in-sync replicas' acknowledgement (acks = all). */
  ackTimeoutMs: number;
  /** Bound of one produce request including connecting and kafkajs' retries. */
  sendTimeoutMs: number;
  lingerMs: number;
  maxBatchMessages: number;
  maxBatchBytes: number;
  maxPendingMessages: number;
}

interface Entry {
  topic: string;
  messages: QueueMessage[];
}

/**
 * Producer over kafkajs with a micro-batcher in front: concurrent send() calls leave as one
 * produce request (one at a time, so their order holds), and each caller learns the outcome of
 * the request that carried its messages.
 *
 * The broker connection is opened by the first send(), not by the factory, and reopened by a
 * later send() after a failure: a process can start while Kafka is down and answer errors fast.
 */
export class KafkaProducer implements Producer {
  readonly #producer: KafkaJsProducer;
  readonly #settings: KafkaProducerSettings;
  readonly #batcher: MicroBatcher<Entry>;
  readonly #onClose: (producer: KafkaProducer) => void;
  #connecting: Promise<void> | undefined;

  constructor(producer: KafkaJsProducer, settings: KafkaProducerSettings, onClose: (producer: KafkaProducer) => void) {
    this.#producer = producer;
    this.#settings = settings;
    this.#onClose = onClose;
    this.#batcher = new MicroBatcher<Entry>((entries) => this.#flush(entries), measure, {
      lingerMs: settings.lingerMs,
      maxBatchItems: settings.maxBatchMessages,
      maxBatchBytes: settings.maxBatchBytes,
      maxPendingItems: settings.maxPendingMessages,
    });
  }

  async send(topic: string, messages: QueueMessage[]): Promise<void> {
    if (messages.length > 0) {
      await this.#batcher.add({ topic, messages });
    }
  }

  /** Sends what is waiting, then disconnects. */
  async close(): Promise<void> {
    await this.#batcher.close();
    const connecting = this.#connecting;
    this.#connecting = undefined;
    if (connecting !== undefined) {
      await connecting.then(
        () => this.#producer.disconnect(),
        () => undefined,
      );
    }
    this.#onClose(this);
  }

  async #flush(entries: Entry[]): Promise<void> {
    const topics = mergeByTopic(entries);
    const what = `produce to ${topics.map(({ topic }) => topic).join(', ')}`;
    try {
      await withDeadline(this.#connectAndSend(topics), this.#settings.sendTimeoutMs, what);
    } catch (error) {
      throw toQueueError(error, what);
    }
  }

  async #connectAndSend(topicMessages: TopicMessages[]): Promise<void> {
    await this.#connect();
    // acks -1: the leader answers once every in-sync replica has the messages.
    await this.#producer.sendBatch({ acks: -1, timeout: this.#settings.ackTimeoutMs, topicMessages });
  }

  #connect(): Promise<void> {
    this.#connecting ??= this.#producer.connect().catch((error: unknown) => {
      this.#connecting = undefined; // the next send() tries again
      throw error;
    });
    return this.#connecting;
  }
}

function measure(entry: Entry): EntrySize {
  let bytes = 0;
  for (const { key, value } of entry.messages) {
    bytes += key.length + value.length;
  }
  return { items: entry.messages.length, bytes };
}

/** One TopicMessages per topic, messages in the order of the entries. */
function mergeByTopic(entries: readonly Entry[]): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages>();
  for (const { topic, messages } of entries) {
    let target = byTopic.get(topic);
    if (target === undefined) {
      target = { topic, messages: [] };
      byTopic.set(topic, target);
    }
    for (const { key, value } of messages) {
      target.messages.push({ key, value });
    }
  }
  return [...byTopic.values()];
}
