/**
 * Which comets already accepted which pushes, so that a Kafka batch delivered again (after another
 * comet failed it) reaches only the comets that did not take it yet. Bounded: the oldest entries
 * are forgotten first; a batch is redelivered within seconds, long before they age out.
 */
export class HandedOn {
  readonly #capacity: number;
  readonly #entries = new Set<string>();

  constructor(capacity = 200_000) {
    this.#capacity = capacity;
  }

  has(pushId: string, comet: string): boolean {
    return this.#entries.has(entry(pushId, comet));
  }

  add(pushIds: readonly string[], comet: string): void {
    for (const id of pushIds) {
      if (!id) continue;
      const key = entry(id, comet);
      this.#entries.delete(key);
      this.#entries.add(key);
    }
    for (const oldest of this.#entries) {
      if (this.#entries.size <= this.#capacity) break;
      this.#entries.delete(oldest);
    }
  }
}

function entry(pushId: string, comet: string): string {
  return `${pushId}\u0000${comet}`;
}
