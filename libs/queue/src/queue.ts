/** One message on a topic. Messages with the same key keep their order. */
export interface QueueMessage {
  key: string;
  value: Buffer;
}

/** A delivered message with its position. */
export interface DeliveredMessage extends QueueMessage {
  partition: number;
  offset: string;
}

/**
 * Producer side.
 *
 * Contract: send() resolves only once every message is durably accepted by the queue (Kafka: acked
 * by all in-sync replicas) and rejects otherwise, after the adapter's own retries; the caller must
 * report a rejection instead of pretending success. Messages of one send() with the same key are
 * stored in the given order.
 */
export interface Producer {
  send(topic: string, messages: QueueMessage[]): Promise<void>;
  close(): Promise<void>;
}

/** Called with a batch of messages from one partition, in order. */
export type BatchHandler = (batch: { topic: string; partition: number; messages: DeliveredMessage[] }) => Promise<void>;

/**
 * Consumer side: a member of a consumer group.
 *
 * Contract (at-least-once, ordered per key):
 * - Messages of one key are handed to the handler in the order they were produced, never two
 *   batches of the same partition at once.
 * - A batch's position is committed only after its handler resolved. If the handler rejects or the
 *   process dies, the batch is delivered again (to this member or to another one of the group).
 * - Partitions are shared among the group's members and move when one leaves or dies.
 */
export interface Consumer {
  run(handler: BatchHandler): Promise<void>;
  close(): Promise<void>;
}

/** Creates topics (idempotent) and producers/consumers of one backend. */
export interface Queue {
  ensureTopic(topic: string, partitions: number): Promise<void>;
  producer(): Promise<Producer>;
  consumer(groupId: string, topics: string[]): Promise<Consumer>;
  close(): Promise<void>;
}
