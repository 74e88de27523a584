import type { Logger } from '@imcluster/common';
import type { Batch, ConsumerCrashEvent, ConsumerRunConfig, EachBatchPayload, Consumer as KafkaJsConsumer } from 'kafkajs';
import { QueueError } from '../errors.ts';
import type { BatchHandler, Consumer, DeliveredMessage, PartitionState } from '../queue.ts';
import { fromKafkaError } from './errors.ts';

export interface KafkaConsumerSettings {
  /** Partitions whose batches are in handlers at the same time (each one still sequential). */
  partitionsConsumedConcurrently: number;
  heartbeatIntervalMs: number;
  redeliveryBackoffMs: number;
  maxRedeliveryBackoffMs: number;
  /** Pause before restarting after a crash kafkajs does not restart from by itself. */
  restartDelayMs: number;
}

/** How long a first join may take through crashes kafkajs restarts from by itself. */
const FIRST_JOIN_MS = 60_000;

/**
 * A consumer group member over kafkajs' eachBatch, without auto-commit and without auto-resolve:
 * a batch's offset (last + 1) is committed, then resolved locally, only after the handler resolved.
 *
 * A rejected batch is left unresolved and its partition paused for a growing pause; kafkajs then
 * fetches again from the last resolved offset, i.e. the same messages. Pausing (instead of
 * throwing out of eachBatch) keeps the other partitions flowing: a throw would stop every fetcher,
 * go through kafkajs' retries and end in a consumer crash.
 *
 * Know that kafkajs fetches from a broker again only once every batch of its previous fetch from
 * that broker settled: a slow handler on one partition slows the partitions led by the same broker.
 */
export class KafkaConsumer implements Consumer {
  readonly #consumer: KafkaJsConsumer;
  readonly #topics: readonly string[];
  readonly #settings: KafkaConsumerSettings;
  readonly #logger: Logger;
  readonly #onClose: (consumer: KafkaConsumer) => void;
  /** Rejections in a row of the batch at a partition's position (partitionKey -> count); absent = 0. */
  readonly #failures = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #closing: Promise<void> | undefined;
  #started = false;
  /** Partitions of the last group join (topic -> partition -> lag), until the membership ends. */
  #assignment = new Map<string, Map<number, number>>();
  /** When the coordinator last answered this member (join, heartbeat or fetch). */
  #confirmedAt = 0;

  constructor(
    consumer: KafkaJsConsumer,
    topics: readonly string[],
    settings: KafkaConsumerSettings,
    logger: Logger,
    onClose: (consumer: KafkaConsumer) => void,
  ) {
    this.#consumer = consumer;
    this.#topics = topics;
    this.#settings = settings;
    this.#logger = logger;
    this.#onClose = onClose;
  }

  /**
   * Joins the group; resolves once this member has its partitions. Rejects (UNAVAILABLE,
   * UNKNOWN_TOPIC) when the first join fails; later crashes are restarted, by kafkajs or by us.
   */
  async run(handler: BatchHandler): Promise<void> {
    if (this.#closing !== undefined) {
      throw new QueueError('CLOSED', 'the consumer is closed');
    }
    if (this.#started) {
      throw new Error('run() was already called');
    }
    this.#started = true;
    const config: ConsumerRunConfig = {
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.#settings.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.#eachBatch(payload, handler),
    };
    this.#trackAssignment();
    try {
      await this.#consumer.connect();
      // A new group starts at the oldest message: nothing produced before its first join is lost.
      await this.#consumer.subscribe({ topics: [...this.#topics], fromBeginning: true });
      await this.#startOnce(config);
    } catch (error) {
      await this.#consumer.disconnect().catch(() => undefined);
      throw fromKafkaError(error, `joining consumer group for ${this.#topics.join(', ')}`);
    }
    this.#consumer.on(this.#consumer.events.CRASH, (event) => this.#onCrash(event, config));
  }

  assignment(): PartitionState[] {
    const stale = Date.now() - this.#confirmedAt > Math.max(3_000, 3 * this.#settings.heartbeatIntervalMs);
    if (stale || this.#closing !== undefined) return [];
    return [...this.#assignment].flatMap(([topic, partitions]) =>
      [...partitions].map(([partition, lag]) => ({ topic, partition, lag, failures: this.#failures.get(partitionKey(topic, partition)) ?? 0 })),
    );
  }

  /** kafkajs tells the assignment at each join; any other change of membership voids it. */
  #trackAssignment(): void {
    const { events } = this.#consumer;
    const confirm = () => {
      this.#confirmedAt = Date.now();
    };
    this.#consumer.on(events.GROUP_JOIN, ({ payload }) => {
      this.#assignment = new Map(Object.entries(payload.memberAssignment).map(([topic, partitions]) => [topic, new Map(partitions.map((p) => [p, 0]))]));
      this.#forgetFailuresOfMovedPartitions();
      confirm();
    });
    this.#consumer.on(events.HEARTBEAT, confirm);
    this.#consumer.on(events.FETCH, confirm);
    for (const event of [events.REBALANCING, events.CRASH, events.STOP, events.DISCONNECT]) {
      this.#consumer.on(event, () => this.#assignment.clear());
    }
  }

  /** A partition that moved away starts from 0 failures should it come back, as on a new owner. */
  #forgetFailuresOfMovedPartitions(): void {
    const held = new Set([...this.#assignment].flatMap(([topic, partitions]) => [...partitions.keys()].map((partition) => partitionKey(topic, partition))));
    for (const key of this.#failures.keys()) {
      if (!held.has(key)) this.#failures.delete(key);
    }
  }

  /** Stops fetching, waits for the batches in handlers, leaves the group (others take over now). */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#timers.forEach((timer) => clearTimeout(timer));
    this.#timers.clear();
    try {
      await this.#consumer.disconnect();
    } finally {
      this.#onClose(this);
    }
  }

  /**
   * kafkajs' run() swallows a failed first join (it only emits CRASH). A crash it restarts from by
   * itself (a coordinator still loading, a leader moving) is waited out, up to FIRST_JOIN_MS; one it
   * does not restart from, or the time running out, rejects with the last crash's error.
   */
  async #startOnce(config: ConsumerRunConfig): Promise<void> {
    await Promise.all([this.#firstJoin(), this.#consumer.run(config)]);
  }

  #firstJoin(): Promise<void> {
    const { events } = this.#consumer;
    return new Promise((resolve, reject) => {
      let lastError: unknown = new Error(`no group join within ${FIRST_JOIN_MS} ms`);
      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        stopJoin();
        stopCrash();
        outcome();
      };
      // Unreferenced: when run() itself rejects, nothing should wait for this timer.
      const timer = setTimeout(() => settle(() => reject(lastError)), FIRST_JOIN_MS).unref();
      const stopJoin = this.#consumer.on(events.GROUP_JOIN, () => settle(resolve));
      const stopCrash = this.#consumer.on(events.CRASH, ({ payload }) => {
        lastError = payload.error;
        if (!payload.restart) settle(() => reject(payload.error));
      });
    });
  }

  /** kafkajs restarts after retriable crashes; after the others it stays down unless we restart. */
  #onCrash(event: ConsumerCrashEvent, config: ConsumerRunConfig): void {
    const { error, restart } = event.payload;
    this.#logger.error({ err: error, restart }, 'kafka consumer crashed');
    if (restart || this.#closing !== undefined) {
      return;
    }
    this.#later(this.#settings.restartDelayMs, () => {
      this.#consumer.run(config).catch((runError: unknown) => this.#logger.error({ err: runError }, 'kafka consumer restart failed'));
    });
  }

  async #eachBatch(payload: EachBatchPayload, handler: BatchHandler): Promise<void> {
    const { batch, isRunning, isStale, commitOffsetsIfNecessary, resolveOffset } = payload;
    // Closing, or the partition was re-positioned: this batch is not ours to deliver any more.
    if (!isRunning() || isStale() || batch.isEmpty()) {
      return;
    }
    this.#recordLag(batch.topic, batch.partition, BigInt(batch.highWatermark) - BigInt(batch.firstOffset() ?? batch.lastOffset()));
    const delivered = await this.#deliver(payload, handler);
    const key = partitionKey(batch.topic, batch.partition);
    if (!delivered) {
      this.#redeliverLater(key, payload);
      return;
    }
    this.#failures.delete(key);
    const next = (BigInt(batch.lastOffset()) + 1n).toString();
    // A failed commit (e.g. during a rebalance) throws into kafkajs, which re-joins; the batch
    // stays unresolved and is delivered again, here or to the partition's new owner.
    await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] });
    resolveOffset(batch.lastOffset());
    this.#recordLag(batch.topic, batch.partition, BigInt(batch.highWatermark) - BigInt(next));
  }

  /** Runs the handler, heartbeating meanwhile so a long handler does not cost the membership. */
  async #deliver({ batch, heartbeat }: EachBatchPayload, handler: BatchHandler): Promise<boolean> {
    const beat = setInterval(() => {
      // A failed heartbeat means a rebalance: the commit after the handler will fail and say so.
      heartbeat().catch(() => undefined);
    }, this.#settings.heartbeatIntervalMs);
    try {
      await handler({ topic: batch.topic, partition: batch.partition, messages: toDelivered(batch) });
      return true;
    } catch (error) {
      this.#logger.warn({ err: error, topic: batch.topic, partition: batch.partition }, 'batch handler failed; redelivering');
      return false;
    } finally {
      clearInterval(beat);
    }
  }

  #recordLag(topic: string, partition: number, lag: bigint): void {
    const partitions = this.#assignment.get(topic);
    if (partitions?.has(partition)) partitions.set(partition, Math.max(0, Number(lag)));
  }

  #redeliverLater(key: string, { pause }: EachBatchPayload): void {
    if (this.#closing !== undefined) {
      return; // leaving the group hands the unresolved batch to another member
    }
    const failures = (this.#failures.get(key) ?? 0) + 1;
    this.#failures.set(key, failures);
    const { redeliveryBackoffMs, maxRedeliveryBackoffMs } = this.#settings;
    const resume = pause();
    this.#later(Math.min(maxRedeliveryBackoffMs, redeliveryBackoffMs * 2 ** (failures - 1)), resume);
  }

  #later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      action();
    }, ms);
    this.#timers.add(timer);
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

function toDelivered(batch: Batch): DeliveredMessage[] {
  return batch.messages.map((message) => ({
    key: message.key?.toString('utf8') ?? '',
    value: message.value ?? Buffer.alloc(0),
    partition: batch.partition,
    offset: message.offset,
  }));
}
