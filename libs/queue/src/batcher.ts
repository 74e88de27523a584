import { QueueError } from './errors.ts';

export interface MicroBatcherOptions {
  /**
   * How long the first entry of an idle batcher waits for company before it is flushed. 0 flushes
   * on the next turn of the event loop (setImmediate): add() calls made by the same I/O callbacks
   * still share a flush, and nothing waits for a timer (whose floor is 1 ms).
   */
  lingerMs: number;
  /** A flush carries at most this many items (an entry that alone is bigger goes alone). */
  maxBatchItems: number;
  /** ... and at most this many bytes, with the same exception. */
  maxBatchBytes: number;
  /** Items waiting for a flush above which add() rejects with QUEUE_FULL instead of growing memory. */
  maxPendingItems: number;
}

/** What one entry weighs: how many items (messages) and how many bytes. */
export interface EntrySize {
  items: number;
  bytes: number;
}

interface Waiting<T> {
  entry: T;
  size: EntrySize;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces many concurrent add() calls into few flush() calls.
 *
 * At most one flush is in flight. Entries added meanwhile wait and leave together when it settles,
 * so a batch grows by itself under load (throughput) while an idle batcher adds only `lingerMs`
 * of latency. One flush at a time also keeps entries in the order of their add() calls, even
 * when a flush is retried inside, which per-key ordering relies on. Every add() promise settles
 * with the outcome of the flush that carried its entry.
 */
export class MicroBatcher<T> {
  readonly #flush: (entries: T[]) => Promise<void>;
  readonly #measure: (entry: T) => EntrySize;
  readonly #options: MicroBatcherOptions;
  #waiting: Waiting<T>[] = [];
  #waitingItems = 0;
  #inFlight: Promise<void> | undefined;
  /** Cancels the pending linger (a timeout, or an immediate for lingerMs 0). */
  #cancelLinger: (() => void) | undefined;
  #closed = false;

  constructor(flush: (entries: T[]) => Promise<void>, measure: (entry: T) => EntrySize, options: MicroBatcherOptions) {
    this.#flush = flush;
    this.#measure = measure;
    this.#options = options;
  }

  add(entry: T): Promise<void> {
    if (this.#closed) {
      return Promise.reject(new QueueError('CLOSED', 'the producer is closed'));
    }
    const size = this.#measure(entry);
    if (this.#waitingItems > 0 && this.#waitingItems + size.items > this.#options.maxPendingItems) {
      return Promise.reject(new QueueError('QUEUE_FULL', `more than ${this.#options.maxPendingItems} messages wait to be sent`));
    }
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ entry, size, resolve, reject });
      this.#waitingItems += size.items;
      this.#schedule();
    });
  }

  /** Refuses new entries, flushes the waiting ones and resolves when nothing is in flight. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#clearTimer();
    while (this.#inFlight !== undefined || this.#waiting.length > 0) {
      if (this.#inFlight === undefined) {
        this.#startFlush();
      }
      await this.#inFlight;
    }
  }

  #schedule(): void {
    if (this.#inFlight !== undefined) {
      return; // the end of the current flush takes the waiting entries
    }
    if (this.#waitingItems >= this.#options.maxBatchItems) {
      this.#clearTimer();
      this.#startFlush();
      return;
    }
    if (this.#cancelLinger !== undefined) return;
    const due = () => {
      this.#cancelLinger = undefined;
      if (this.#inFlight === undefined && this.#waiting.length > 0) {
        this.#startFlush();
      }
    };
    if (this.#options.lingerMs > 0) {
      const timer = setTimeout(due, this.#options.lingerMs);
      this.#cancelLinger = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(due);
      this.#cancelLinger = () => clearImmediate(immediate);
    }
  }

  #startFlush(): void {
    const batch = this.#take();
    const entries = batch.map((waiting) => waiting.entry);
    this.#inFlight = (async () => this.#flush(entries))()
      .then(
        () => batch.forEach((waiting) => waiting.resolve()),
        (error: unknown) => batch.forEach((waiting) => waiting.reject(error)),
      )
      .finally(() => {
        this.#inFlight = undefined;
        // Entries that arrived during the flush have waited long enough: send them right away.
        if (this.#waiting.length > 0) {
          this.#clearTimer();
          this.#startFlush();
        }
      });
  }

  /** Removes the next batch from the head of the waiting list, within the size limits. */
  #take(): Waiting<T>[] {
    let items = 0;
    let bytes = 0;
    let count = 0;
    for (const waiting of this.#waiting) {
      const fits =
        items + waiting.size.items <= this.#options.maxBatchItems && bytes + waiting.size.bytes <= this.#options.maxBatchBytes;
      if (count > 0 && !fits) {
        break;
      }
      items += waiting.size.items;
      bytes += waiting.size.bytes;
      count++;
    }
    this.#waitingItems -= items;
    return this.#waiting.splice(0, count);
  }

  #clearTimer(): void {
    this.#cancelLinger?.();
    this.#cancelLinger = undefined;
  }
}
