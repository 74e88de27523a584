import { QueueError } from '../errors.ts';
import type { BatchHandler, Consumer, PartitionState } from '../queue.ts';
import type { GroupMember, MemoryGroup } from './group.ts';

/** One member of a memory consumer group; the group does the delivering. */
export class MemoryConsumer implements Consumer, GroupMember {
  readonly topics: readonly string[];
  readonly #group: MemoryGroup;
  readonly #onClose: (consumer: MemoryConsumer) => void;
  #handler: BatchHandler | undefined;
  #closed = false;

  constructor(group: MemoryGroup, topics: readonly string[], onClose: (consumer: MemoryConsumer) => void) {
    this.#group = group;
    this.topics = topics;
    this.#onClose = onClose;
  }

  get handler(): BatchHandler {
    if (this.#handler === undefined) {
      throw new Error('run() was not called');
    }
    return this.#handler;
  }

  /** Joins the group; partitions are assigned before the promise resolves. */
  async run(handler: BatchHandler): Promise<void> {
    if (this.#closed) {
      throw new QueueError('CLOSED', 'the consumer is closed');
    }
    if (this.#handler !== undefined) {
      throw new Error('run() was already called');
    }
    this.#handler = handler;
    this.#group.join(this);
  }

  assignment(): PartitionState[] {
    return this.#closed ? [] : this.#group.assignmentOf(this);
  }

  /** Leaves the group once the batches in flight settled; their partitions go to the others. */
  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    await this.#group.leave(this);
    this.#onClose(this);
  }
}
