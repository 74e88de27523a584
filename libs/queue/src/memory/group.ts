import type { Logger } from '@imcluster/common';
import type { BatchHandler, PartitionState } from '../queue.ts';
import type { PartitionLog } from './log.ts';
import { PartitionWorker, type OffsetStore } from './worker.ts';

/** What the group needs from one of its members. */
export interface GroupMember {
  readonly topics: readonly string[];
  readonly handler: BatchHandler;
}

export interface MemoryGroupOptions {
  logs: (topic: string) => readonly PartitionLog[];
  /** Called after every commit, so the queue can trim what all groups have consumed. */
  onCommit: (topic: string, partition: number) => void;
  maxBatchMessages: number;
  redeliveryBackoffMs: number;
  maxRedeliveryBackoffMs: number;
  logger: Logger;
}

/** Who delivers a partition now; `done` settles when the last worker on it has stopped. */
interface Ownership {
  member: GroupMember | undefined;
  worker: PartitionWorker | undefined;
  done: Promise<void>;
}

const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/**
 * A consumer group of the memory queue: its members, who owns which partition, and the committed
 * positions (kept after every member left, so a restarted member resumes where the group stopped).
 *
 * Partitions of each topic go round-robin to the members subscribed to it, in join order, and are
 * redistributed whenever a member joins or leaves. A partition moves to its new owner only after
 * the old owner's batch in flight settled, so a partition is never in two handlers at once.
 */
export class MemoryGroup implements OffsetStore {
  readonly #options: MemoryGroupOptions;
  readonly #members: GroupMember[] = [];
  readonly #committed = new Map<string, number>();
  readonly #owners = new Map<string, Ownership>();
  readonly #topics = new Set<string>();

  constructor(options: MemoryGroupOptions) {
    this.#options = options;
  }

  /** Topics any member ever subscribed to: the group's committed positions hold their retention. */
  get topics(): ReadonlySet<string> {
    return this.#topics;
  }

  committed(topic: string, partition: number): number {
    return this.#committed.get(tpKey(topic, partition)) ?? 0;
  }

  commit(topic: string, partition: number, next: number): void {
    this.#committed.set(tpKey(topic, partition), next);
    this.#options.onCommit(topic, partition);
  }

  /**
   * The partitions `member` owns now, with the messages appended after the group's position and
   * the rejections in a row of the batch there (counted by the partition's current worker).
   */
  assignmentOf(member: GroupMember): PartitionState[] {
    return member.topics.flatMap((topic) =>
      this.#options.logs(topic).flatMap((log) => {
        const owner = this.#owners.get(tpKey(topic, log.partition));
        if (owner?.member !== member) return [];
        const { partition } = log;
        return [{ topic, partition, lag: log.end - this.committed(topic, partition), failures: owner.worker?.failures ?? 0 }];
      }),
    );
  }

  join(member: GroupMember): void {
    this.#members.push(member);
    member.topics.forEach((topic) => this.#topics.add(topic));
    this.#rebalance();
  }

  /** Removes the member and resolves once its batches in flight settled. */
  async leave(member: GroupMember): Promise<void> {
    const index = this.#members.indexOf(member);
    if (index < 0) {
      return;
    }
    this.#members.splice(index, 1);
    const leaving = [...this.#owners.values()].filter((owner) => owner.member === member);
    this.#rebalance();
    // stop() is idempotent: the rebalance already stopped these workers, this waits for them.
    await Promise.all(leaving.map((owner) => owner.worker?.stop()));
  }

  #rebalance(): void {
    for (const topic of this.#topics) {
      const subscribers = this.#members.filter((member) => member.topics.includes(topic));
      for (const log of this.#options.logs(topic)) {
        const owner = subscribers.length === 0 ? undefined : subscribers[log.partition % subscribers.length];
        this.#assign(topic, log, owner);
      }
    }
  }

  #assign(topic: string, log: PartitionLog, member: GroupMember | undefined): void {
    const key = tpKey(topic, log.partition);
    const current = this.#owners.get(key);
    if (current?.member === member) {
      return;
    }
    // Remembered even while nobody owns the partition, so the next owner still waits for it.
    const previous = current?.worker?.stop() ?? current?.done ?? Promise.resolve();
    if (member === undefined) {
      this.#owners.set(key, { member, worker: undefined, done: previous });
      return;
    }
    const { maxBatchMessages, redeliveryBackoffMs, maxRedeliveryBackoffMs, logger } = this.#options;
    const worker = new PartitionWorker({
      topic,
      log,
      handler: member.handler,
      offsets: this,
      maxBatchMessages,
      redeliveryBackoffMs,
      maxRedeliveryBackoffMs,
      logger,
    });
    this.#owners.set(key, { member, worker, done: worker.start(previous) });
  }
}
