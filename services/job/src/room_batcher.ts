interface Pending<T> {
  msgs: T[];
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
  timer?: NodeJS.Timeout;
}

/**
 * Merges room messages per room: a batch is handed on when its window elapsed or it is full. Each
 * add() resolves once its batch was accepted by every comet that needed it, so the Kafka offset is
 * committed only after the hand-off. Batches of one room are handed on one after another, in order.
 */
export class RoomBatcher<T> {
  readonly #windowMs: number;
  readonly #max: number;
  readonly #send: (room: string, msgs: T[]) => Promise<void>;
  readonly #pending = new Map<string, Pending<T>>();
  readonly #inFlight = new Map<string, Promise<void>>();

  constructor(opts: { windowMs: number; max: number; send: (room: string, msgs: T[]) => Promise<void> }) {
    this.#windowMs = opts.windowMs;
    this.#max = opts.max;
    this.#send = opts.send;
  }

  add(room: string, msg: T): Promise<void> {
    let pending = this.#pending.get(room);
    if (!pending) {
      pending = { msgs: [], waiters: [] };
      this.#pending.set(room, pending);
      pending.timer = setTimeout(() => this.#flush(room), this.#windowMs);
    }
    pending.msgs.push(msg);
    const done = new Promise<void>((resolve, reject) => pending.waiters.push({ resolve, reject }));
    if (pending.msgs.length >= this.#max) this.#flush(room);
    return done;
  }

  /** Hands on everything waiting now (shutdown). */
  flushAll(): void {
    for (const room of [...this.#pending.keys()]) this.#flush(room);
  }

  #flush(room: string): void {
    const pending = this.#pending.get(room);
    if (!pending) return;
    this.#pending.delete(room);
    clearTimeout(pending.timer);
    const previous = this.#inFlight.get(room) ?? Promise.resolve();
    const current = previous
      .catch(() => undefined)
      .then(() => this.#send(room, pending.msgs))
      .then(
        () => pending.waiters.forEach((w) => w.resolve()),
        (error: unknown) => pending.waiters.forEach((w) => w.reject(error)),
      );
    this.#inFlight.set(room, current);
    void current.then(() => {
      if (this.#inFlight.get(room) === current) this.#inFlight.delete(room);
    });
  }
}
