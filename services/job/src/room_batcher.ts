interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Room<T> {
  msgs: T[];
  waiters: Waiter[];
  inFlight: boolean;
  /** performance.now() when its last batch was handed on. */
  lastSentAt: number;
  timer: NodeJS.Timeout | undefined;
  /** A hand-off is due on the next microtask (after the rest of the queue batch was added). */
  due: boolean;
  /** flushAll() asked for everything waiting to go without waiting for the window. */
  urgent: boolean;
}

/**
 * Merges room messages per room with a latency budget. A room that had no batch for `windowMs`
 * hands its message on at once (after the rest of the same queue batch joined it); otherwise its
 * messages wait until `windowMs` after its previous batch, or until `max` wait. While a room's
 * batch is in flight the next one waits for it, so batches of one room are handed on one after
 * another, in order, and grow by themselves when comets answer slowly.
 *
 * Each add() resolves once its batch was accepted by every comet that needed it, so the Kafka
 * offset is committed only after the hand-off.
 */
export class RoomBatcher<T> {
  readonly #windowMs: number;
  readonly #max: number;
  readonly #send: (room: string, msgs: T[]) => Promise<void>;
  readonly #rooms = new Map<string, Room<T>>();

  constructor(opts: { windowMs: number; max: number; send: (room: string, msgs: T[]) => Promise<void> }) {
    this.#windowMs = opts.windowMs;
    this.#max = opts.max;
    this.#send = opts.send;
  }

  add(room: string, msg: T): Promise<void> {
    let state = this.#rooms.get(room);
    if (!state) {
      state = { msgs: [], waiters: [], inFlight: false, lastSentAt: -Infinity, timer: undefined, due: false, urgent: false };
      this.#rooms.set(room, state);
    }
    state.msgs.push(msg);
    const done = new Promise<void>((resolve, reject) => state.waiters.push({ resolve, reject }));
    this.#schedule(room, state);
    return done;
  }

  /** Hands on everything waiting now without waiting for windows, in batches of at most `max` (shutdown). */
  flushAll(): void {
    for (const [room, state] of this.#rooms) {
      if (state.msgs.length === 0) continue;
      state.urgent = true;
      clearTimeout(state.timer);
      state.timer = undefined;
      this.#schedule(room, state);
    }
  }

  #schedule(room: string, state: Room<T>): void {
    if (state.inFlight || state.msgs.length === 0 || state.due) return;
    const wait = state.msgs.length >= this.#max || state.urgent ? 0 : state.lastSentAt + this.#windowMs - performance.now();
    if (wait > 0) {
      state.timer ??= setTimeout(() => this.#onTimer(room, state), Math.ceil(wait));
      return;
    }
    clearTimeout(state.timer);
    state.timer = undefined;
    // A microtask: the messages of the same queue batch, added in the same loop, leave together.
    state.due = true;
    queueMicrotask(() => {
      state.due = false;
      if (!state.inFlight && state.msgs.length > 0) this.#handOn(room, state);
    });
  }

  #handOn(room: string, state: Room<T>): void {
    const msgs = state.msgs.splice(0, this.#max);
    const waiters = state.waiters.splice(0, msgs.length);
    state.inFlight = true;
    state.lastSentAt = performance.now();
    void this.#send(room, msgs)
      .then(
        () => waiters.forEach((w) => w.resolve()),
        (error: unknown) => waiters.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        state.inFlight = false;
        if (state.msgs.length > 0) return this.#schedule(room, state);
        state.urgent = false;
        // Remember the room until its window is over, then forget it (rooms come and go).
        const left = state.lastSentAt + this.#windowMs - performance.now();
        if (left <= 0) return this.#forget(room, state);
        state.timer ??= setTimeout(() => this.#onTimer(room, state), Math.ceil(left));
        state.timer.unref();
      });
  }

  #onTimer(room: string, state: Room<T>): void {
    state.timer = undefined;
    if (state.msgs.length > 0) this.#schedule(room, state);
    else if (!state.inFlight) this.#forget(room, state);
  }

  #forget(room: string, state: Room<T>): void {
    if (this.#rooms.get(room) === state) this.#rooms.delete(room);
  }
}
