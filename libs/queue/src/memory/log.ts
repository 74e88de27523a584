import type { DeliveredMessage, QueueMessage } from '../queue.ts';

/**
 * The messages of one partition, in offset order: the memory queue's stand-in for a Kafka log.
 * Offsets start at 0 and never repeat. Messages every group has committed are trimmed.
 */
export class PartitionLog {
  readonly partition: number;
  // #messages[#head + i] holds offset #start + i; the head index makes trimming O(1) amortised.
  #messages: DeliveredMessage[] = [];
  #head = 0;
  #start = 0;
  #listeners = new Set<() => void>();

  constructor(partition: number) {
    this.partition = partition;
  }

  /** The offset the next appended message gets. */
  get end(): number {
    return this.#start + this.#messages.length - this.#head;
  }

  /** How many messages are held in memory. */
  get retained(): number {
    return this.#messages.length - this.#head;
  }

  append(messages: readonly QueueMessage[]): void {
    let offset = this.end;
    for (const { key, value } of messages) {
      this.#messages.push({ key, value, partition: this.partition, offset: String(offset++) });
    }
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    listeners.forEach((listener) => listener());
  }

  /** Up to `max` messages from offset `from` on (clamped to what is still retained). */
  read(from: number, max: number): DeliveredMessage[] {
    const first = this.#head + Math.max(0, from - this.#start);
    return this.#messages.slice(first, first + max);
  }

  /** Drops every message below `offset`. */
  trimBefore(offset: number): void {
    const drop = Math.min(offset, this.end) - this.#start;
    if (drop <= 0) {
      return;
    }
    this.#head += drop;
    this.#start += drop;
    if (this.#head > 1024 && this.#head * 2 > this.#messages.length) {
      this.#messages = this.#messages.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Calls `listener` once, at the next append. Returns a function that cancels it. */
  onceAppended(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
