import { collectDefaultMetrics, Registry } from 'prom-client';
import { CometMetrics } from './comet.ts';
import { sampledGauge } from './families.ts';
import { GrpcMetrics } from './grpc.ts';
import { JobMetrics } from './job.ts';
import { LogicMetrics } from './logic.ts';

/**
 * The metrics of one process: a registry of its own (no global), and the metric groups of the
 * roles it runs, each created on first use. The standalone node shares one Metrics among its
 * roles, so one scrape shows all of them. Services see only the groups' bound children, never
 * prom-client.
 */
export class Metrics {
  readonly #registry = new Registry();
  readonly #leases: { service: string; held: () => boolean }[] = [];
  #comet?: CometMetrics;
  #logic?: LogicMetrics;
  #job?: JobMetrics;
  #grpc?: GrpcMetrics;
  #defaults = false;

  get comet(): CometMetrics {
    return (this.#comet ??= new CometMetrics(this.#registry));
  }

  get logic(): LogicMetrics {
    return (this.#logic ??= new LogicMetrics(this.#registry));
  }

  get job(): JobMetrics {
    return (this.#job ??= new JobMetrics(this.#registry));
  }

  get grpc(): GrpcMetrics {
    return (this.#grpc ??= new GrpcMetrics(this.#registry));
  }

  /** Reports `held()` as imcluster_registry_lease_held{service} at each scrape. */
  trackLease(service: string, held: () => boolean): void {
    if (this.#leases.length === 0) {
      sampledGauge(this.#registry, 'imcluster_registry_lease_held', '1 while the registration lease of this process (per role) is held, else 0.', ['service'], () =>
        this.#leases.map((lease) => [{ service: lease.service }, lease.held() ? 1 : 0]),
      );
    }
    this.#leases.push({ service, held });
  }

  /** Starts prom-client's process and Node.js collectors (event-loop lag, GC, heap, CPU); once. */
  collectDefaults(): void {
    if (this.#defaults) return;
    this.#defaults = true;
    collectDefaultMetrics({ register: this.#registry });
  }

  /** The exposition text of every metric, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.#registry.contentType, body: await this.#registry.metrics() };
  }
}
