/**
 * What GET /api/v1/admin/cluster answers (logic's ClusterView builds it, the console reads it).
 * Totals are counters since each process started, except `connections` and `lag`, which are now.
 */
export interface Totals {
  connections: number;
  pushes: number;
  deliveries: number;
  drops: number;
  slowCloses: number;
  chatSends: number;
  chatAcks: number;
  lag: number;
}

export interface ProcessView {
  service: string;
  id: string;
  addrs: Record<string, string>;
  meta?: Record<string, string | number>;
  /** The process's own view of its registration lease (imcluster_registry_lease_held); `unknown` when its metrics could not be read. */
  lease: 'held' | 'lost' | 'unknown';
  /** Client connections (comets only, from its metrics). */
  connections?: number;
  /** Why its metrics could not be read. */
  error?: string;
}

export interface ClusterSnapshot {
  at: number;
  processes: ProcessView[];
  totals: Totals;
}
