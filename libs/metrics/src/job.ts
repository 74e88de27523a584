import type { Registry } from 'prom-client';
import { HistogramFamily, LATENCY_BUCKETS, STAGE_BUCKETS, TallyFamily, sampledGauge, type Counter, type Histogram } from './families.ts';

/** Push targets as the queue carries them. */
export type JobPushKind = 'keys' | 'mids' | 'room' | 'broadcast';

/** Where a room push is in the job: taken off the queue, sent out of its room batch, accepted by the comets. */
export type JobRoomStage = 'consumed' | 'flushed' | 'handed';

/** What a job counts: pushes taken from the queue, their hand-off to comets, and its lag. */
export class JobMetrics {
  readonly pushes: Record<JobPushKind, Counter>;
  readonly handoffSeconds: Record<JobPushKind, Histogram>;
  readonly pushAgeSeconds: Histogram;
  /** Age of a room push (since logic accepted it) at each stage in the job. */
  readonly roomAgeSeconds: Record<JobRoomStage, Histogram>;
  readonly roomBatches: Counter;
  readonly roomBatchMessages: Histogram;
  readonly skippedComets: Counter;
  readonly alreadyHandedOn: Counter;
  readonly undecodable: Counter;
  readonly #registry: Registry;

  constructor(registry: Registry) {
    this.#registry = registry;
    const pushes = new TallyFamily(registry, 'counter', 'imcluster_job_pushes_total', 'Pushes taken from the queue (redeliveries included), by kind.', ['kind']);
    const handoff = new HistogramFamily(
      registry,
      'imcluster_job_handoff_seconds',
      'From taking a push off the queue until every comet that needed it accepted it, seconds (room pushes include the batching window).',
      ['kind'],
      LATENCY_BUCKETS,
    );
    this.pushes = { keys: pushes.labels('keys'), mids: pushes.labels('mids'), room: pushes.labels('room'), broadcast: pushes.labels('broadcast') };
    this.handoffSeconds = { keys: handoff.labels('keys'), mids: handoff.labels('mids'), room: handoff.labels('room'), broadcast: handoff.labels('broadcast') };
    this.pushAgeSeconds = new HistogramFamily(
      registry,
      'imcluster_job_push_age_seconds',
      "From logic accepting a push to the comets accepting it, seconds (hosts' clocks must agree).",
      [],
      LATENCY_BUCKETS,
    ).labels();
    const stages = new HistogramFamily(registry, 'imcluster_job_room_push_age_seconds', "Age of a room push since logic accepted it, at each stage in the job, seconds (hosts' clocks must agree).", ['stage'], STAGE_BUCKETS);
    this.roomAgeSeconds = { consumed: stages.labels('consumed'), flushed: stages.labels('flushed'), handed: stages.labels('handed') };
    this.roomBatches = new TallyFamily(registry, 'counter', 'imcluster_job_room_batches_total', 'Room batches handed to comets.', []).labels();
    this.roomBatchMessages = new HistogramFamily(registry, 'imcluster_job_room_batch_messages', 'Messages per room batch handed to comets.', [], [1, 2, 5, 10, 20, 50, 100, 200, 500]).labels();
    this.skippedComets = new TallyFamily(registry, 'counter', 'imcluster_job_skipped_comets_total', 'Comet calls skipped because the comet was no longer registered, or refused connections and was suspended.', []).labels();
    this.alreadyHandedOn = new TallyFamily(registry, 'counter', 'imcluster_job_already_handed_on_total', 'Pushes of a redelivered batch left out for a comet that had accepted them before.', []).labels();
    this.undecodable = new TallyFamily(registry, 'counter', 'imcluster_job_undecodable_total', 'Queue messages that were not pushes (skipped and committed).', []).labels();
  }

  /** Reads the partitions the job's consumer holds, their lag and their failures, at each scrape. */
  trackConsumer(read: () => { partition: number; lag: number; failures: number }[]): void {
    sampledGauge(this.#registry, 'imcluster_job_partitions_assigned', 'Queue partitions this job holds now.', [], () => [[{}, read().length]]);
    sampledGauge(this.#registry, 'imcluster_job_consumer_lag_messages', 'Messages stored in a partition this job holds after its position, as of its latest fetch.', ['partition'], () =>
      read().map(({ partition, lag }) => [{ partition: String(partition) }, lag]),
    );
    sampledGauge(this.#registry, 'imcluster_job_partition_failures', "Failed deliveries in a row of the batch at the head of a partition this job holds (0 while it flows).", ['partition'], () =>
      read().map(({ partition, failures }) => [{ partition: String(partition) }, failures]),
    );
  }
}
