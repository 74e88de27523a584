import { parseEnv, z } from '@imcluster/common';

/** Every job setting, its environment variable and its default. */
export const jobSettings = z.object({
  IM_JOB_ID: z.string().min(1).default(`job-${process.pid}`),
  /** Room messages are merged per room for at most this long before being handed to comets, ms. */
  IM_JOB_ROOM_BATCH_MS: z.coerce.number().int().min(0).default(5),
  /** ...or until this many messages are waiting for one room. */
  IM_JOB_ROOM_BATCH_MAX: z.coerce.number().int().min(1).default(100),
  /** Deadline of each push call to a comet, ms. */
  IM_JOB_COMET_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  /** Attempts per comet call before the Kafka batch is left uncommitted for redelivery. */
  IM_JOB_PUSH_ATTEMPTS: z.coerce.number().int().min(1).default(3),
  /** How long a comet whose port refuses connections is left out before it is tried again, ms. */
  IM_JOB_COMET_SUSPEND_MS: z.coerce.number().int().min(100).default(3000),
  /** Kafka partitions this process works on at once (each stays strictly in order). */
  IM_JOB_PARTITIONS_CONCURRENCY: z.coerce.number().int().min(1).default(8),
  /** /readyz fails while the batch at a held partition's head has failed this many deliveries in a row. */
  IM_JOB_STUCK_PARTITION_FAILURES: z.coerce.number().int().min(1).default(10),
  /** Address of /metrics, /healthz and /readyz. */
  IM_JOB_METRICS_HOST: z.string().default('127.0.0.1'),
  /** Host other processes reach the metrics port at (logic's console reads it); defaults to IM_JOB_METRICS_HOST. */
  IM_JOB_ADVERTISE_HOST: z.string().optional(),
  IM_JOB_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(3121),
});

export type JobConfig = ReturnType<typeof jobConfig>;

/** The job's configuration from already parsed settings (see parseEnv, which a process runs once). */
export function jobConfig(raw: z.infer<typeof jobSettings>) {
  return {
    id: raw.IM_JOB_ID,
    roomBatchMs: raw.IM_JOB_ROOM_BATCH_MS,
    roomBatchMax: raw.IM_JOB_ROOM_BATCH_MAX,
    cometTimeoutMs: raw.IM_JOB_COMET_TIMEOUT_MS,
    pushAttempts: raw.IM_JOB_PUSH_ATTEMPTS,
    cometSuspendMs: raw.IM_JOB_COMET_SUSPEND_MS,
    partitionsConcurrency: raw.IM_JOB_PARTITIONS_CONCURRENCY,
    stuckPartitionFailures: raw.IM_JOB_STUCK_PARTITION_FAILURES,
    metricsHost: raw.IM_JOB_METRICS_HOST,
    advertiseHost: raw.IM_JOB_ADVERTISE_HOST ?? raw.IM_JOB_METRICS_HOST,
    metricsPort: raw.IM_JOB_METRICS_PORT,
  };
}

/** The job's settings alone, parsed from `env`. */
export function loadJobConfig(env: Record<string, string | undefined> = process.env): JobConfig {
  return jobConfig(parseEnv(env, jobSettings));
}
