import type { Registry } from 'prom-client';
import { HistogramFamily, LATENCY_BUCKETS, TallyFamily, type Counter, type Histogram } from './families.ts';

/** gRPC status names by number, for the `code` label (as grpc-go's interceptors name them). */
const STATUS_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];

/** Receives one finished call: its path ("/imcluster.logic.Logic/Connect"), status code and duration. */
export interface GrpcObserver {
  observe(path: string, code: number, seconds: number): void;
}

/** Calls by service, method and status, and their latency; one of these per side (server, client). */
class GrpcSide implements GrpcObserver {
  readonly #handled: TallyFamily<'service' | 'method' | 'code'>;
  readonly #seconds: HistogramFamily<'service' | 'method'>;
  readonly #bound = new Map<string, { count: Counter; seconds: Histogram }>();

  constructor(registry: Registry, side: 'server' | 'client', what: string) {
    this.#handled = new TallyFamily(registry, 'counter', `imcluster_grpc_${side}_handled_total`, `gRPC calls ${what}, by service, method and status code.`, ['service', 'method', 'code']);
    this.#seconds = new HistogramFamily(registry, `imcluster_grpc_${side}_handling_seconds`, `Duration of gRPC calls ${what}, seconds.`, ['service', 'method'], LATENCY_BUCKETS);
  }

  observe(path: string, code: number, seconds: number): void {
    const id = `${path}\u0000${code}`;
    let bound = this.#bound.get(id);
    if (!bound) {
      const [service = '', method = ''] = path.slice(1).split('/');
      bound = { count: this.#handled.labels(service, method, STATUS_NAMES[code] ?? String(code)), seconds: this.#seconds.labels(service, method) };
      this.#bound.set(id, bound);
    }
    bound.count.inc();
    bound.seconds.observe(seconds);
  }
}

export class GrpcMetrics {
  readonly server: GrpcObserver;
  readonly client: GrpcObserver;

  constructor(registry: Registry) {
    this.server = new GrpcSide(registry, 'server', 'served');
    this.client = new GrpcSide(registry, 'client', 'made');
  }
}
