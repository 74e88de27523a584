import { parseMetrics, type Sample } from '@imcluster/metrics';

export { parseMetrics, type Sample };

/** GET /metrics of `address` (host:port), parsed. */
export async function scrape(address: string): Promise<Sample[]> {
  const res = await fetch(`http://${address}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parseMetrics(await res.text());
}

/** The value of the sample with exactly these labels (absent: undefined). */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels);
  const found = samples.find((s) => s.name === name && Object.keys(s.labels).length === wanted.length && wanted.every(([k, v]) => s.labels[k] === v));
  return found?.value;
}

/** GET `path` of `address`: status and parsed JSON body. */
export async function probe(address: string, path: '/healthz' | '/readyz'): Promise<{ status: number; body: { status: string; failing?: string[]; checks?: Record<string, string> } }> {
  const res = await fetch(`http://${address}${path}`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json()) as { status: string; failing?: string[]; checks?: Record<string, string> } };
}
