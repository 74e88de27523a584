export interface ReconnectOptions {
  /** First back-off ceiling, ms (default 1000). */
  baseMs?: number;
  /** Largest back-off ceiling, ms (default 60000). */
  maxMs?: number;
  /** After a drain (close code 3001), the reconnect waits a random 0..drainMaxMs, ms (default 5000). */
  drainMaxMs?: number;
}

/**
 * Exponential back-off with full jitter: a uniform random wait between 0 and
 * min(max, base * 2^(attempt - 1)), so that clients dropped together do not return together.
 */
export function backoffDelay(attempt: number, options: Required<ReconnectOptions>): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(Math.random() * ceiling);
}

/**
 * How the SDK treats a close code (docs/protocol.md, "Close codes", and docs/client.md):
 * 3500-3999 and 4500-4999 are terminal, as is 1009 (message too big, the WebSocket form of 3502);
 * everything else (3000-3499, 4000-4499, network losses such as 1006) is retried.
 */
export function isTerminalCode(code: number): boolean {
  return (code >= 3500 && code < 4000) || (code >= 4500 && code < 5000) || code === 1009;
}

/**
 * Comet addresses in turn: the first pick is random (spreading clients over the comets), each
 * reconnect takes the next one, so a client leaves a comet that dropped it.
 */
export class Rotation {
  #index = -1;

  next(urls: readonly string[]): string {
    this.#index = this.#index < 0 ? Math.floor(Math.random() * urls.length) : (this.#index + 1) % urls.length;
    return urls[this.#index]!;
  }
}
