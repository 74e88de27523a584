import { QueueError, toQueueError } from '../errors.ts';

/**
 * Translates a kafkajs failure. kafkajs wraps the broker's answer in retry errors, so the cause
 * chain is searched: an unknown topic becomes UNKNOWN_TOPIC like in the memory queue.
 */
export function fromKafkaError(error: unknown, what: string): QueueError {
  if (causes(error).some((cause) => (cause as { type?: unknown }).type === 'UNKNOWN_TOPIC_OR_PARTITION')) {
    return new QueueError('UNKNOWN_TOPIC', `${what} failed: the topic does not exist`, { cause: error });
  }
  return toQueueError(error, what);
}

function causes(error: unknown): object[] {
  const chain: object[] = [];
  for (let current = error; typeof current === 'object' && current !== null && chain.length < 10; current = (current as { cause?: unknown }).cause) {
    chain.push(current);
  }
  return chain;
}
