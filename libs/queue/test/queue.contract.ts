import { after, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { QueueError } from '../src/errors.ts';
import type { Producer, Queue } from '../src/queue.ts';
import { keyedMessages, randomName, Recorder, sequencesByKey, waitFor } from './helpers.ts';

export interface QueueContractOptions {
  /** How long a test waits for deliveries (Kafka group joins take seconds). */
  deliveryTimeoutMs: number;
  /** Removes what the suite created on a shared backend, after the suite. */
  cleanup?: (created: { topics: string[]; groups: string[] }) => Promise<void>;
}

const PARTITIONS = 4;
const KEYS = 20;

/**
 * The Queue contract, run against every adapter. `makeQueue` returns a new queue (for Kafka, a
 * new client: "another process") and registers its own close on `t`.
 */
export function queueContract(name: string, makeQueue: (t: TestContext) => Promise<Queue>, opts: QueueContractOptions): void {
  const created = { topics: [] as string[], groups: [] as string[] };
  const topicName = (): string => remember(created.topics, randomName('topic'));
  const groupName = (): string => remember(created.groups, randomName('group'));
  const timeout = opts.deliveryTimeoutMs;

  /** A fresh topic on a fresh queue, a producer and a group name. */
  async function setup(t: TestContext) {
    const queue = await makeQueue(t);
    const topic = topicName();
    await queue.ensureTopic(topic, PARTITIONS);
    const producer = await queue.producer();
    return { queue, topic, producer, group: groupName() };
  }

  describe(`Queue contract: ${name}`, { timeout: 20 * timeout }, () => {
    after(async () => opts.cleanup?.(created));

    it('ensureTopic is idempotent, also when several clients call it at once', async (t) => {
      const queues = [await makeQueue(t), await makeQueue(t), await makeQueue(t)];
      const topic = topicName();
      await Promise.all(queues.map((queue) => queue.ensureTopic(topic, PARTITIONS)));
      await Promise.all([queues[0]!.ensureTopic(topic, PARTITIONS), queues[0]!.ensureTopic(topic, PARTITIONS)]);
      await queues[1]!.ensureTopic(topic, PARTITIONS);

      const producer = await queues[0]!.producer();
      await producer.send(topic, keyedMessages(KEYS, 1));
      const consumer = await queues[0]!.consumer(groupName(), [topic]);
      const recorder = new Recorder();
      await consumer.run(recorder.handler);
      await recorder.until(KEYS, timeout);
    });

    it('refuses unknown topics instead of creating them', async (t) => {
      const queue = await makeQueue(t);
      const producer = await queue.producer();
      const topic = topicName();
      const unknown = (error: unknown): boolean => error instanceof QueueError && error.reason === 'UNKNOWN_TOPIC';
      await assert.rejects(producer.send(topic, keyedMessages(1, 1)), unknown);
      await assert.rejects(async () => (await queue.consumer(groupName(), [topic])).run(async () => undefined), unknown);
    });

    it('delivers every message once, in order per key, to a single member', async (t) => {
      const { queue, topic, producer, group } = await setup(t);
      const consumer = await queue.consumer(group, [topic]);
      const recorder = new Recorder();
      await consumer.run(recorder.handler);

      // Keys in parallel (so sends coalesce), each key's messages one send after the other.
      const perKey = 10;
      await Promise.all(
        Array.from({ length: KEYS }, async (_, k) => {
          for (let seq = 0; seq < perKey; seq++) {
            await producer.send(topic, [{ key: `k${k}`, value: Buffer.from(`k${k}:${seq}`) }]);
          }
        }),
      );
      await producer.send(topic, keyedMessages(KEYS, 5, 'b')); // and a multi-key send

      await recorder.until(KEYS * (perKey + 5), timeout);
      assert.equal(recorder.delivered.length, KEYS * (perKey + 5), 'no duplicates in the happy path');
      for (const [key, seqs] of sequencesByKey(recorder.values())) {
        const expected = Array.from({ length: key.startsWith('b') ? 5 : perKey }, (_, seq) => seq);
        assert.deepEqual(seqs, expected, `order of key ${key}`);
      }
      const partitionOfKey = new Map(recorder.delivered.map((message) => [message.key, message.partition]));
      for (const message of recorder.delivered) {
        assert.equal(message.partition, partitionOfKey.get(message.key), `key ${message.key} stays on one partition`);
      }
    });

    it('delivers a rejected batch again, and after it resolved commits it', async (t) => {
      const { queue, topic, producer, group } = await setup(t);
      const messages = keyedMessages(KEYS, 3);
      await producer.send(topic, messages);

      const first = await queue.consumer(group, [topic]);
      const flaky = new Recorder((call) => call > 0);
      await first.run(flaky.handler);
      await flaky.until(messages.length, timeout);
      assert.ok(flaky.rejected.length > 0, 'the first batch was rejected');
      for (const message of flaky.rejected) {
        assert.ok(flaky.uniqueValues().has(message.value.toString()), `${message.value} delivered again`);
      }
      for (const [key, seqs] of sequencesByKey(flaky.values())) {
        // At-least-once: a batch whose commit was lost to a rebalance may be replayed, but only
        // from an earlier point and in order again; nothing is skipped or swapped.
        assert.deepEqual([...new Set(seqs)], [0, 1, 2], `every message of key ${key}, in order, despite the redelivery`);
        let previous = -1;
        for (const seq of seqs) {
          assert.ok(seq <= previous + 1, `key ${key}: ${seq} came right after ${previous} (${seqs.join(',')})`);
          previous = seq;
        }
      }
      await first.close();

      await expectOnlyNewMessages(queue, topic, group, producer, timeout);
    });

    it("assignment() counts a partition's rejected deliveries in a row, and 0 again once its batch resolves", async (t) => {
      const { queue, topic, producer, group } = await setup(t);
      const consumer = await queue.consumer(group, [topic]);
      let failing = true;
      const recorder = new Recorder(() => !failing);
      await consumer.run(recorder.handler);
      await producer.send(topic, keyedMessages(1, 3)); // one key: one partition
      await waitFor('a rejected batch', () => recorder.rejected.length > 0, timeout);
      const stuck = recorder.rejected[0]!.partition;
      // One snapshot per poll: a Kafka member reports no partition while its membership is unconfirmed.
      let seen = consumer.assignment();
      const failuresOf = (partition: number): number | undefined => {
        seen = consumer.assignment();
        return seen.find((state) => state.partition === partition)?.failures;
      };

      await waitFor(() => `failures >= 2 on partition ${stuck} (${JSON.stringify(seen)})`, () => (failuresOf(stuck) ?? 0) >= 2, timeout);
      const others = seen.filter((state) => state.partition !== stuck);
      assert.equal(others.length, PARTITIONS - 1, 'the single member holds every partition');
      assert.deepEqual(others.map((state) => state.failures), [0, 0, 0], 'the partitions that flow count no failure');

      failing = false;
      await recorder.until(3, timeout);
      await waitFor(() => `failures 0 on partition ${stuck} (${JSON.stringify(seen)})`, () => failuresOf(stuck) === 0, timeout);
    });

    it('two members of a group split the partitions and together receive everything once', async (t) => {
      const { queue, topic, producer, group } = await setup(t);
      const [a, b] = [new Recorder(), new Recorder()];
      await (await queue.consumer(group, [topic])).run(a.handler);
      await (await queue.consumer(group, [topic])).run(b.handler);

      const messages = keyedMessages(KEYS, 5);
      await producer.send(topic, messages);
      const union = (): Set<string> => new Set([...a.values(), ...b.values()]);
      await waitFor(() => `${messages.length} messages (have ${union().size})`, () => union().size === messages.length, timeout);

      assert.equal(a.delivered.length + b.delivered.length, messages.length, 'nothing delivered twice');
      assert.ok(a.partitions.size > 0 && b.partitions.size > 0, 'both members got partitions');
      assert.deepEqual([...a.partitions].filter((partition) => b.partitions.has(partition)), [], 'no partition in both');
    });

    it('a member that leaves without committing hands its batch to the remaining member', async (t) => {
      const { queue, topic, producer, group } = await setup(t);
      const leaving = await queue.consumer(group, [topic]);
      let closing: Promise<void> | undefined;
      // Leaves during its first batch and fails it: nothing it was given is ever committed.
      const dropped = new Recorder(() => {
        closing ??= leaving.close();
        return false;
      });
      const staying = new Recorder();
      await leaving.run(dropped.handler);
      await (await queue.consumer(group, [topic])).run(staying.handler);

      const messages = keyedMessages(KEYS, 5);
      await producer.send(topic, messages);
      await staying.until(messages.length, timeout);
      await closing;

      assert.ok(dropped.rejected.length > 0, 'the leaving member had a batch in hand');
      for (const message of dropped.rejected) {
        assert.ok(staying.uniqueValues().has(message.value.toString()), `${message.value} reached the remaining member`);
      }
      for (const [key, seqs] of sequencesByKey(staying.values())) {
        assert.deepEqual([...new Set(seqs)], [0, 1, 2, 3, 4], `order of key ${key}`);
      }
    });

    it('a restarted member resumes after the committed position', async (t) => {
      const { queue, topic, producer, group } = await setup(t);
      const messages = keyedMessages(KEYS, 3);
      await producer.send(topic, messages);
      const first = await queue.consumer(group, [topic]);
      const recorder = new Recorder();
      await first.run(recorder.handler);
      await recorder.until(messages.length, timeout);
      await first.close();

      await expectOnlyNewMessages(queue, topic, group, producer, timeout);
    });
  });
}

/**
 * Produces one new message on every key used so far and checks that a new member of `group` gets
 * exactly those. Old messages precede the new ones of their partition, so had any been left
 * uncommitted they would arrive before the last new one does.
 */
async function expectOnlyNewMessages(
  queue: Queue,
  topic: string,
  group: string,
  producer: Producer,
  timeout: number,
): Promise<void> {
  const fresh = keyedMessages(KEYS, 1).map(({ key }) => ({ key, value: Buffer.from(`${key}:new`) }));
  const again = await queue.consumer(group, [topic]);
  const recorder = new Recorder();
  await again.run(recorder.handler);
  await producer.send(topic, fresh);
  await recorder.until(fresh.length, timeout);
  assert.deepEqual(recorder.values().sort(), fresh.map(({ value }) => value.toString()).sort());
  await again.close();
}

function remember(list: string[], name: string): string {
  list.push(name);
  return name;
}
