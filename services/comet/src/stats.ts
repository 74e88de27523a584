import type { CometMetrics } from '@imcluster/metrics';

/**
 * Counters a comet exposes through its gRPC Stats call (tests and operators read them). The totals
 * are the comet's Prometheus counters; only the per-room map is kept here, since room ids are too
 * many to be metric labels.
 */
export class CometStats {
  readonly #metrics: CometMetrics;
  roomMessages = 0;
  readonly roomBatchesByRoom = new Map<string, number>();

  constructor(metrics: CometMetrics) {
    this.#metrics = metrics;
  }

  get roomBatches(): number {
    return this.#metrics.pushes.room.value;
  }

  get keyPushes(): number {
    return this.#metrics.pushes.keys.value;
  }

  get broadcasts(): number {
    return this.#metrics.pushes.broadcast.value;
  }

  get framesDropped(): number {
    return this.#metrics.framesDropped.value;
  }

  get slowDisconnects(): number {
    return this.#metrics.slowConsumerCloses.value;
  }

  countRoomBatch(room: string, messages: number): void {
    this.#metrics.pushes.room.inc();
    this.#metrics.roomBatchMessages.observe(messages);
    this.roomMessages += messages;
    this.roomBatchesByRoom.set(room, (this.roomBatchesByRoom.get(room) ?? 0) + 1);
  }
}
