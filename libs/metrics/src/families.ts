import { Counter as PromCounter, Gauge as PromGauge, Histogram as PromHistogram, type Registry } from 'prom-client';

/** A counter child bound to its label values. */
export interface Counter {
  inc(by?: number): void;
  /** Total since the process started (the gRPC Stats call reads it). */
  readonly value: number;
}

/** A gauge child bound to its label values. */
export interface Gauge {
  set(value: number): void;
  inc(by?: number): void;
  dec(by?: number): void;
  readonly value: number;
}

/** A histogram child bound to its label values. */
export interface Histogram {
  observe(value: number): void;
  /** Starts a timer; calling the result observes the seconds elapsed. */
  startTimer(): () => void;
}

/**
 * A counter or gauge child is a plain number: inc() is one addition, no label hashing and no
 * validation, so hot paths (a room batch written to 10,000 sockets) pay nothing measurable. The
 * family copies the numbers into prom-client when the registry is scraped.
 */
class Tally implements Counter, Gauge {
  value = 0;

  inc(by = 1): void {
    this.value += by;
  }

  dec(by = 1): void {
    this.value -= by;
  }

  set(value: number): void {
    this.value = value;
  }
}

type Labels<L extends string> = Record<L, string>;

/** Children of one counter or gauge metric, each created once per label set and kept. */
export class TallyFamily<L extends string> {
  readonly #children = new Map<string, { labels: Labels<L>; tally: Tally }>();
  readonly #labelNames: readonly L[];

  constructor(registry: Registry, kind: 'counter' | 'gauge', name: string, help: string, labelNames: readonly L[]) {
    this.#labelNames = labelNames;
    const children = this.#children;
    const common = { name, help, labelNames, registers: [registry] };
    if (kind === 'counter') {
      new PromCounter<L>({
        ...common,
        collect() {
          this.reset();
          for (const { labels, tally } of children.values()) this.inc(labels, tally.value);
        },
      });
    } else {
      new PromGauge<L>({
        ...common,
        collect() {
          this.reset();
          for (const { labels, tally } of children.values()) this.set(labels, tally.value);
        },
      });
    }
  }

  /** The child for these label values (in the order of the label names); bind it once and keep it. */
  labels(...values: string[]): Counter & Gauge {
    const id = values.join('\u0000');
    let child = this.#children.get(id);
    if (!child) {
      const labels = Object.fromEntries(this.#labelNames.map((name, i) => [name, values[i] ?? ''])) as Labels<L>;
      child = { labels, tally: new Tally() };
      this.#children.set(id, child);
    }
    return child.tally;
  }

  /** Forgets a child (e.g. a Kafka partition this process no longer holds). */
  remove(...values: string[]): void {
    this.#children.delete(values.join('\u0000'));
  }
}

/** Children of one histogram, bound per label set on first use. */
export class HistogramFamily<L extends string> {
  readonly #histogram: PromHistogram<L>;
  readonly #children = new Map<string, Histogram>();
  readonly #labelNames: readonly L[];

  constructor(registry: Registry, name: string, help: string, labelNames: readonly L[], buckets: number[]) {
    this.#labelNames = labelNames;
    this.#histogram = new PromHistogram<L>({ name, help, labelNames, buckets, registers: [registry] });
  }

  labels(...values: string[]): Histogram {
    const id = values.join('\u0000');
    let child = this.#children.get(id);
    if (!child) {
      const labels = Object.fromEntries(this.#labelNames.map((name, i) => [name, values[i] ?? ''])) as Labels<L>;
      const bound = this.#histogram.labels(labels);
      child = { observe: (value) => bound.observe(value), startTimer: () => timer((seconds) => bound.observe(seconds)) };
      this.#children.set(id, child);
    }
    return child;
  }
}

function timer(observe: (seconds: number) => void): () => void {
  const started = process.hrtime.bigint();
  return () => observe(Number(process.hrtime.bigint() - started) / 1e9);
}

/** Gauges whose values are read from the process when the registry is scraped. */
export function sampledGauge<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[], read: () => [Labels<L>, number][]): void {
  new PromGauge<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.set(labels, value);
    },
  });
}

/** Latency buckets in seconds, 0.5 ms to 10 s. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Finer buckets for the age of a push at each stage of the room path (1 ms to 5 s): light-load
 * latency is a matter of single milliseconds, which LATENCY_BUCKETS lumps together.
 */
export const STAGE_BUCKETS = [0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5];
