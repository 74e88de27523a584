import { envOf, type Proc } from './procstat.ts';

/**
 * Where a room push's time goes, from the cluster's own histograms: each process's /metrics is
 * read before and after the push window, and the bucket deltas give, per stage, the age of the
 * pushes since logic accepted them (logic's clock, ms resolution). Best effort: a process that
 * does not answer is left out.
 */

/** Stage name in the report, the metric it comes from, and its `stage` label (none for logic's). */
const STAGES = [
  { name: 'produced (logic: Kafka acks=all)', metric: 'imcluster_queue_produce_seconds', stage: undefined },
  { name: 'consumed (job: taken off Kafka)', metric: 'imcluster_job_room_push_age_seconds', stage: 'consumed' },
  { name: 'flushed (job: room batch sent)', metric: 'imcluster_job_room_push_age_seconds', stage: 'flushed' },
  { name: 'received (comet: room batch)', metric: 'imcluster_comet_room_push_age_seconds', stage: 'received' },
  { name: 'written (comet: every socket had it)', metric: 'imcluster_comet_room_push_age_seconds', stage: 'written' },
  { name: 'handed (job: comets replied)', metric: 'imcluster_job_room_push_age_seconds', stage: 'handed' },
] as const;

/** Cumulative bucket counts (by upper bound, seconds), sum and count of one histogram series. */
interface Series {
  buckets: Map<number, number>;
  sum: number;
  count: number;
}

export interface StageFigures {
  stage: string;
  count: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

const PORT_VARS = ['IM_COMET_METRICS_PORT', 'IM_JOB_METRICS_PORT', 'IM_LOGIC_HTTP_PORT'];

/** The metrics addresses of the cluster processes, from their environment. */
export function metricsUrls(procs: Proc[]): string[] {
  const urls: string[] = [];
  for (const proc of procs) {
    if (proc.role !== 'cluster') continue;
    const port = PORT_VARS.map((name) => envOf(proc.pid, name)).find((value) => value !== undefined);
    if (port) urls.push(`http://127.0.0.1:${port}/metrics`);
  }
  return urls;
}

/** One series key per stage: metric + stage label. */
function keyOf(metric: string, stage: string | undefined): string {
  return stage === undefined ? metric : `${metric}|${stage}`;
}

/** Adds the stage histograms of one Prometheus text page into `into`. */
function parse(text: string, into: Map<string, Series>): void {
  const wanted = new Set<string>(STAGES.map((s) => s.metric));
  for (const line of text.split('\n')) {
    const match = /^(\w+?)(_bucket|_sum|_count)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || !wanted.has(match[1]!)) continue;
    const labels = Object.fromEntries([...(match[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const key = keyOf(match[1]!, labels.stage);
    let series = into.get(key);
    if (!series) into.set(key, (series = { buckets: new Map(), sum: 0, count: 0 }));
    const value = Number(match[4]);
    if (match[2] === '_sum') series.sum += value;
    else if (match[2] === '_count') series.count += value;
    else {
      const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
      series.buckets.set(le, (series.buckets.get(le) ?? 0) + value);
    }
  }
}

export async function snapshot(urls: string[]): Promise<Map<string, Series>> {
  const all = new Map<string, Series>();
  await Promise.all(
    urls.map(async (url) => {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
        parse(await res.text(), all);
      } catch {
        // a process that does not answer is left out
      }
    }),
  );
  return all;
}

/** A percentile from cumulative buckets, interpolated linearly inside the bucket that holds it. */
function percentile(buckets: [number, number][], count: number, q: number): number {
  const rank = q * count;
  let lower = 0;
  let below = 0;
  for (const [le, cumulative] of buckets) {
    if (cumulative >= rank) {
      if (le === Infinity) return lower;
      const inBucket = cumulative - below;
      return inBucket > 0 ? lower + ((le - lower) * (rank - below)) / inBucket : le;
    }
    lower = le;
    below = cumulative;
  }
  return lower;
}

/** The stage figures over the window between two snapshots. */
export function stageDelta(before: Map<string, Series>, after: Map<string, Series>): StageFigures[] {
  const out: StageFigures[] = [];
  for (const { name, metric, stage } of STAGES) {
    const a = after.get(keyOf(metric, stage));
    if (!a) continue;
    const b = before.get(keyOf(metric, stage));
    const count = a.count - (b?.count ?? 0);
    if (count <= 0) continue;
    const buckets = [...a.buckets].map(([le, n]): [number, number] => [le, n - (b?.buckets.get(le) ?? 0)]).sort((x, y) => x[0] - y[0]);
    const ms = (seconds: number) => Math.round(seconds * 10_000) / 10;
    out.push({ stage: name, count, meanMs: ms((a.sum - (b?.sum ?? 0)) / count), p50Ms: ms(percentile(buckets, count, 0.5)), p99Ms: ms(percentile(buckets, count, 0.99)) });
  }
  return out;
}
