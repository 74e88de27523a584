import { withDeadline } from '@imcluster/common';
import type { Producer as KafkaJsProducer } from 'kafkajs';
import { MicroBatcher, type EntrySize } from '../batcher.ts';
import { QueueError } from '../errors.ts';
import type { Producer, QueueMessage } from '../queue.ts';
import { fromKafkaError } from './errors.ts';

export interface KafkaProducerSettings {
  /** Broker-side wait for the in-sync replicas' acknowledgement (acks = all). */
  ackTimeoutMs: number;
  /** Bound of one produce request including connecting and kafkajs' retries. */
  sendTimeoutMs: number;
  /** How long a send() to an idle topic waits for others to share its request. */
  lingerMs: number;
  /** Most messages in one produce request. */
  maxBatchMessages: number;
  /** Most key + value bytes in one produce request. */
  maxBatchBytes: number;
  /** Per topic: messages waiting for a request, above which send() rejects with QUEUE_FULL. */
  maxPendingMessages: number;
}

/**
 * Producer over kafkajs with a micro-batcher per topic in front: concurrent send() calls to a
 * topic leave as one produce request (one at a time per topic, so their order holds), and each
 * caller learns the outcome of the request that carried its messages. Separate topics never share
 * a request, so a send to a missing topic cannot fail the sends to other topics.
 *
 * The broker connection is opened by the first send(), not by the factory, and reopened by a
 * later send() after a failure: a process can start while Kafka is down and answer errors fast.
 */
export class KafkaProducer implements Producer {
  readonly #producer: KafkaJsProducer;
  readonly #settings: KafkaProducerSettings;
  readonly #batchers = new Map<string, MicroBatcher<QueueMessage[]>>();
  readonly #onClose: (producer: KafkaProducer) => void;
  #connecting: Promise<void> | undefined;
  #closed = false;

  constructor(producer: KafkaJsProducer, settings: KafkaProducerSettings, onClose: (producer: KafkaProducer) => void) {
    this.#producer = producer;
    this.#settings = settings;
    this.#onClose = onClose;
  }

  async send(topic: string, messages: QueueMessage[]): Promise<void> {
    if (this.#closed) {
      throw new QueueError('CLOSED', 'the producer is closed');
    }
    if (messages.length > 0) {
      await this.#batcher(topic).add(messages);
    }
  }

  /** Sends what is waiting, then disconnects. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#batchers.values()].map((batcher) => batcher.close()));
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

  #batcher(topic: string): MicroBatcher<QueueMessage[]> {
    let batcher = this.#batchers.get(topic);
    if (batcher === undefined) {
      batcher = new MicroBatcher<QueueMessage[]>((entries) => this.#flush(topic, entries.flat()), measure, {
        lingerMs: this.#settings.lingerMs,
        maxBatchItems: this.#settings.maxBatchMessages,
        maxBatchBytes: this.#settings.maxBatchBytes,
        maxPendingItems: this.#settings.maxPendingMessages,
      });
      this.#batchers.set(topic, batcher);
    }
    return batcher;
  }

  async #flush(topic: string, messages: QueueMessage[]): Promise<void> {
    const what = `produce to ${topic}`;
    try {
      // A message may still land after its sender saw TIMEOUT (at-least-once covers the retry).
      const ms = this.#settings.sendTimeoutMs;
      await withDeadline(this.#connectAndSend(topic, messages), ms, () => new QueueError('TIMEOUT', `${what} took longer than ${ms} ms`));
    } catch (error) {
      throw fromKafkaError(error, what);
    }
  }

  async #connectAndSend(topic: string, messages: QueueMessage[]): Promise<void> {
    await this.#connect();
    // acks -1: the leader answers once every in-sync replica has the messages.
    await this.#producer.send({ topic, acks: -1, timeout: this.#settings.ackTimeoutMs, messages });
  }

  #connect(): Promise<void> {
    this.#connecting ??= this.#producer.connect().catch((error: unknown) => {
      this.#connecting = undefined; // the next send() tries again
      throw error;
    });
    return this.#connecting;
  }
}

function measure(messages: QueueMessage[]): EntrySize {
  let bytes = 0;
  for (const { key, value } of messages) {
    bytes += key.length + value.length;
  }
  return { items: messages.length, bytes };
}
