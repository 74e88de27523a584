import { parseEnv, z } from '@imcluster/common';

/** Every job setting, its environment variable and its default. */
const schema = z.object({
  IM_JOB_ID: z.string().min(1).default(`job-${process.pid}`),
  /** Room messages are merged per room for at most this long before being handed to comets, ms. */
  IM_JOB_ROOM_BATCH_MS: z.coerce.number().int().min(0).default(5),
  /** ...or until this many messages are waiting for one room. */
  IM_JOB_ROOM_BATCH_MAX: z.coerce.number().int().min(1).default(100),
  /** Deadline of each push call to a comet, ms. */
  IM_JOB_COMET_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  /** Attempts per comet call before the Kafka batch is left uncommitted for redelivery. */
  IM_JOB_PUSH_ATTEMPTS: z.coerce.number().int().min(1).default(3),
  /** Kafka partitions this process works on at once (each stays strictly in order). */
  IM_JOB_PARTITIONS_CONCURRENCY: z.coerce.number().int().min(1).default(8),
  /** Address of /metrics, /healthz and /readyz. */
  IM_JOB_METRICS_HOST: z.string().default('127.0.0.1'),
  IM_JOB_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(3121),
});

export type JobConfig = ReturnType<typeof loadJobConfig>;

export function loadJobConfig(env: Record<string, string | undefined> = process.env) {
  const raw = parseEnv(schema, env);
  return {
    id: raw.IM_JOB_ID,
    roomBatchMs: raw.IM_JOB_ROOM_BATCH_MS,
    roomBatchMax: raw.IM_JOB_ROOM_BATCH_MAX,
    cometTimeoutMs: raw.IM_JOB_COMET_TIMEOUT_MS,
    pushAttempts: raw.IM_JOB_PUSH_ATTEMPTS,
    partitionsConcurrency: raw.IM_JOB_PARTITIONS_CONCURRENCY,
    metricsHost: raw.IM_JOB_METRICS_HOST,
    metricsPort: raw.IM_JOB_METRICS_PORT,
  };
}
