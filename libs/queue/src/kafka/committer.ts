export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Commits finished offsets with one request in flight: offsets added meanwhile wait, and only the
 * newest of each partition goes in the next request. At light load that is one commit per batch,
 * under load far fewer. A failed commit puts its offsets back unless newer ones came; they go
 * with the next request.
 */
export class OffsetCommitter {
  readonly #commit: (offsets: TopicPartitionOffset[]) => Promise<void>;
  readonly #onError: (error: unknown) => void;
  #due = new Map<string, TopicPartitionOffset>();
  #running: Promise<void> | undefined;

  constructor(commit: (offsets: TopicPartitionOffset[]) => Promise<void>, onError: (error: unknown) => void) {
    this.#commit = commit;
    this.#onError = onError;
  }

  add(topic: string, partition: number, offset: string): void {
    this.#due.set(partitionKey(topic, partition), { topic, partition, offset });
    this.#running ??= this.#drain();
  }

  /** Sends what waits (a failed commit's offsets once more too); resolves once sent or failed. */
  async flush(): Promise<void> {
    if (this.#due.size > 0) this.#running ??= this.#drain();
    while (this.#running !== undefined) await this.#running;
  }

  /** Drops offsets not sent yet (the partitions may have moved to another member). */
  forget(): void {
    this.#due.clear();
  }

  async #drain(): Promise<void> {
    while (this.#due.size > 0) {
      const due = this.#due;
      this.#due = new Map();
      try {
        await this.#commit([...due.values()]);
      } catch (error) {
        this.#onError(error);
        for (const [key, offset] of due) if (!this.#due.has(key)) this.#due.set(key, offset);
        break;
      }
    }
    this.#running = undefined;
  }
}

/** The key of a topic's partition in maps. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
