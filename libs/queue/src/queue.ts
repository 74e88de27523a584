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
 * by all in-sync replicas; memory: appended) and rejects otherwise, after the adapter's own
 * retries and within a bounded time; the caller must report a rejection instead of pretending
 * success. Rejections are QueueErrors, whose reason is QUEUE_FULL (back-pressure, nothing stored), TIMEOUT
 * (outcome unknown: a retry may store a duplicate), UNKNOWN_TOPIC, CLOSED, UNAVAILABLE.
 * Messages of one send() with the same key are stored in the given order, and so are those of
 * sends that follow one another (the next send() starts after the previous one resolved).
 * A topic must exist (Queue.ensureTopic) before it is sent to.
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
 *   batches of the same partition at once by one member. Batches of different partitions may be
 *   in the handler at the same time.
 * - A batch's position is committed only after its handler resolved. If the handler rejects, the
 *   batch is delivered again after a growing pause; if the member leaves or the process dies
 *   first, another member of the group gets it. Handlers must therefore tolerate duplicates.
 * - Partitions are shared among the group's members and move when one joins, leaves or dies
 *   (Kafka: after the session timeout). A new group starts at the oldest retained message.
 * - run() resolves once this member has joined the group (and got its partitions); it rejects
 *   when it cannot join. close() stops delivery, waits for the batches in the handler to settle
 *   (a batch that resolves is still committed) and leaves the group.
 */
export interface Consumer {
  run(handler: BatchHandler): Promise<void>;
  /**
   * The partitions this member holds now, each with its lag (the messages stored in the partition
   * after this member's position, as of its latest fetch) and its failures (how often in a row the
   * handler rejected the batch at its head). Empty while it holds none: before run(),
   * during a rebalance, after close(), and while the queue cannot be reached (Kafka: no heartbeat
   * answered for three heartbeat intervals).
   */
  assignment(): PartitionState[];
  close(): Promise<void>;
}

/** A partition a consumer holds. */
export interface PartitionState {
  topic: string;
  partition: number;
  /** Messages behind this member's position (0 until the first fetch tells). */
  lag: number;
  /**
   * Consecutive rejected deliveries of the batch at this member's position: 0 while the partition
   * flows, back to 0 once a batch resolves. Counted by the member that holds the partition, so it
   * starts at 0 again when the partition moves. A count that keeps growing is a partition stuck
   * behind a batch its handler cannot take: redelivery never gives up (at-least-once).
   */
  failures: number;
}

/**
 * Creates topics and producers/consumers of one backend. ensureTopic() creates a missing topic
 * with the given partition count, is idempotent and safe when several processes call it at once;
 * an existing topic keeps its partition count (growing it would move keys between partitions).
 * close() closes every producer and consumer the queue made.
 */
export interface Queue {
  ensureTopic(topic: string, partitions: number): Promise<void>;
  /** Resolves once the backend answered a request now (Kafka: a metadata request); rejects otherwise. */
  ping(): Promise<void>;
  producer(): Promise<Producer>;
  consumer(groupId: string, topics: string[]): Promise<Consumer>;
  close(): Promise<void>;
}
