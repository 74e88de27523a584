import type { Logger } from '@imcluster/common';
import type { BatchHandler } from '../queue.ts';
import type { PartitionLog } from './log.ts';

/** Where a worker reads its position and commits the next one: its consumer group. */
export interface OffsetStore {
  committed(topic: string, partition: number): number;
  commit(topic: string, partition: number, next: number): void;
}

export interface PartitionWorkerOptions {
  topic: string;
  log: PartitionLog;
  handler: BatchHandler;
  offsets: OffsetStore;
  maxBatchMessages: number;
  redeliveryBackoffMs: number;
  maxRedeliveryBackoffMs: number;
  logger: Logger;
}

/**
 * Delivers one partition to one group member: read from the committed position, hand the batch to
 * the handler, commit after it resolved, and on rejection deliver the same batch again after a
 * growing pause. Exactly one batch is in the handler at a time.
 */
export class PartitionWorker {
  readonly #options: PartitionWorkerOptions;
  #stopped = false;
  #failures = 0;
  #wake: (() => void) | undefined;
  #done: Promise<void> | undefined;

  constructor(options: PartitionWorkerOptions) {
    this.#options = options;
  }

  /**
   * Starts delivering once `previous` (the last owner of the partition) has finished. Returns a
   * promise that settles when this worker has stopped.
   */
  start(previous: Promise<void>): Promise<void> {
    this.#done = previous.then(() => this.#loop());
    return this.#done;
  }

  /** How often in a row the handler rejected the batch at the partition's position. */
  get failures(): number {
    return this.#failures;
  }

  /**
   * Stops after the batch in the handler, if any, settled; resolves then. A batch whose handler
   * resolves after stop() is still committed: nobody else got the partition meanwhile.
   */
  stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    return this.#done ?? Promise.resolve();
  }

  async #loop(): Promise<void> {
    const { topic, log, handler, offsets, maxBatchMessages } = this.#options;
    while (!this.#stopped) {
      const from = offsets.committed(topic, log.partition);
      const messages = log.read(from, maxBatchMessages);
      if (messages.length === 0) {
        await this.#waitForAppend();
        continue;
      }
      try {
        await handler({ topic, partition: log.partition, messages });
      } catch (error) {
        this.#failures++;
        this.#options.logger.warn({ err: error, topic, partition: log.partition, failures: this.#failures }, 'batch handler failed; redelivering');
        await this.#sleep(this.#backoff(this.#failures));
        continue;
      }
      this.#failures = 0;
      offsets.commit(topic, log.partition, from + messages.length);
    }
  }

  #backoff(failures: number): number {
    const { redeliveryBackoffMs, maxRedeliveryBackoffMs } = this.#options;
    return Math.min(maxRedeliveryBackoffMs, redeliveryBackoffMs * 2 ** (failures - 1));
  }

  #waitForAppend(): Promise<void> {
    return this.#interruptible((resolve) => this.#options.log.onceAppended(resolve));
  }

  #sleep(ms: number): Promise<void> {
    return this.#interruptible((resolve) => {
      const timer = setTimeout(resolve, ms);
      return () => clearTimeout(timer);
    });
  }

  /** Waits for `arm`'s event or for stop(), whichever comes first, and disarms the other. */
  #interruptible(arm: (resolve: () => void) => () => void): Promise<void> {
    if (this.#stopped) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        disarm();
        this.#wake = undefined;
        resolve();
      };
      const disarm = arm(finish);
      this.#wake = finish;
    });
  }
}
