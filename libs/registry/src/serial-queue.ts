/**
 * Runs tasks strictly one after another. Watches push every event through one queue so that
 * listener callbacks never overlap, even when a callback is async.
 */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();
  readonly #onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void) {
    this.#onError = onError;
  }

  /** Queues `task`; the returned promise settles when it has run (it never rejects). */
  push(task: () => void | Promise<void>): Promise<void> {
    this.#tail = this.#tail.then(task).catch(this.#onError);
    return this.#tail;
  }

  /** Resolves once every task queued so far has run. */
  idle(): Promise<void> {
    return this.#tail;
  }
}
