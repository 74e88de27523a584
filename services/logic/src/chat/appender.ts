import { chatLimits, type AppendResult, type NewChatMessage, type Storage } from '@imcluster/storage';

interface Request {
  inputs: readonly NewChatMessage[];
  resolve: (results: AppendResult[]) => void;
  reject: (error: unknown) => void;
}

// Transactions of one logic process at once: one more keeps the database busy while the other
// commits; conversations are locked in sorted order, so they never deadlock each other.
const CONCURRENCY = 2;

/**
 * Group commit for chat messages: appends that arrive while the transactions in flight are busy
 * wait and go together into the next one, so under load many senders share one transaction and
 * one fsync, and an idle process stores a message at once. Each caller's messages stay in order.
 */
export class Appender {
  readonly #storage: Storage;
  #waiting: Request[] = [];
  #running = 0;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  append(inputs: readonly NewChatMessage[]): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ inputs, resolve, reject });
      this.#kick();
    });
  }

  #kick(): void {
    while (this.#running < CONCURRENCY && this.#waiting.length > 0) void this.#run(this.#take());
  }

  /** Whole requests, as many as fit one storage call (at least one). */
  #take(): Request[] {
    let size = 0;
    let count = 0;
    for (const request of this.#waiting) {
      if (count > 0 && size + request.inputs.length > chatLimits.appendBatch) break;
      size += request.inputs.length;
      count++;
    }
    return this.#waiting.splice(0, count);
  }

  async #run(batch: Request[]): Promise<void> {
    this.#running++;
    try {
      const results = await this.#storage.appendMessages(batch.flatMap((request) => request.inputs));
      let at = 0;
      for (const request of batch) {
        request.resolve(results.slice(at, at + request.inputs.length));
        at += request.inputs.length;
      }
    } catch (error) {
      for (const request of batch) request.reject(error);
    } finally {
      this.#running--;
      this.#kick();
    }
  }
}
