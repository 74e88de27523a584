import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchHandler, DeliveredMessage, QueueMessage } from '../src/queue.ts';

/** A name no other test (or test run) uses. */
export function randomName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** Polls `probe` until it returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string | (() => string), probe: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await sleep(20);
  }
}

/** `perKey` messages for each of `keys` keys, valued "<key>:<seq>", interleaved across keys. */
export function keyedMessages(keys: number, perKey: number, prefix = 'k'): QueueMessage[] {
  const messages: QueueMessage[] = [];
  for (let seq = 0; seq < perKey; seq++) {
    for (let k = 0; k < keys; k++) {
      messages.push({ key: `${prefix}${k}`, value: Buffer.from(`${prefix}${k}:${seq}`) });
    }
  }
  return messages;
}

/** Records what a consumer's handler was given; `accept` decides whether a batch succeeds. */
export class Recorder {
  readonly delivered: DeliveredMessage[] = [];
  readonly rejected: DeliveredMessage[] = [];
  readonly partitions = new Set<number>();
  calls = 0;
  readonly #accept: (call: number) => boolean;

  constructor(accept: (call: number) => boolean = () => true) {
    this.#accept = accept;
  }

  readonly handler: BatchHandler = async ({ partition, messages }) => {
    const call = this.calls++;
    if (!this.#accept(call)) {
      this.rejected.push(...messages);
      throw new Error(`handler rejects call ${call} on purpose`);
    }
    this.partitions.add(partition);
    this.delivered.push(...messages);
  };

  /** Values of the accepted messages, in delivery order. */
  values(): string[] {
    return this.delivered.map((message) => message.value.toString());
  }

  uniqueValues(): Set<string> {
    return new Set(this.values());
  }

  until(count: number, timeoutMs: number): Promise<void> {
    return waitFor(() => `${count} distinct messages (have ${this.uniqueValues().size})`, () => this.uniqueValues().size >= count, timeoutMs);
  }
}

/** Per key, the sequence numbers in the order they were delivered. */
export function sequencesByKey(values: readonly string[]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const value of values) {
    const [key = '', seq = ''] = value.split(':');
    byKey.set(key, [...(byKey.get(key) ?? []), Number(seq)]);
  }
  return byKey;
}
