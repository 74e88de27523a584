import type { Registry } from 'prom-client';
import { HistogramFamily, LATENCY_BUCKETS, TallyFamily, type Counter, type Histogram } from './families.ts';
import { timeCalls } from './timed.ts';

/** Chat operations as the client names them (ops 20-31). */
export type ChatOp = 'send' | 'ack' | 'sync' | 'read' | 'recall' | 'conversations';

/** What logic counts: pushes it accepts, the queue behind them, chat, and its storage. */
export class LogicMetrics {
  readonly #pushes: TallyFamily<'kind'>;
  readonly produceSeconds: Histogram;
  readonly #produceFailures: TallyFamily<'code'>;
  readonly #chatRequests: TallyFamily<'op' | 'code'>;
  readonly #chatSeconds: HistogramFamily<'op'>;
  readonly chatResends: Counter;
  readonly #storageSeconds: HistogramFamily<'operation'>;
  readonly #storageErrors: TallyFamily<'operation'>;

  constructor(registry: Registry) {
    this.#pushes = new TallyFamily(registry, 'counter', 'imcluster_logic_pushes_total', 'Pushes the queue accepted, by target kind (keys, mids, room, broadcast).', ['kind']);
    this.produceSeconds = new HistogramFamily(registry, 'imcluster_queue_produce_seconds', 'Time for the queue (Kafka, acks=all) to accept a push, seconds.', [], LATENCY_BUCKETS).labels();
    this.#produceFailures = new TallyFamily(registry, 'counter', 'imcluster_queue_produce_failures_total', 'Pushes the queue did not accept, by queue error code.', ['code']);
    this.#chatRequests = new TallyFamily(registry, 'counter', 'imcluster_chat_requests_total', 'Chat operations handled, by operation and reply code (0 = ok).', ['op', 'code']);
    this.#chatSeconds = new HistogramFamily(registry, 'imcluster_chat_request_seconds', 'Time to handle a chat operation, seconds.', ['op'], LATENCY_BUCKETS);
    this.chatResends = new TallyFamily(registry, 'counter', 'imcluster_chat_resends_total', 'Chat messages re-sent to a receiver that had not acknowledged them.', []).labels();
    this.#storageSeconds = new HistogramFamily(registry, 'imcluster_storage_operation_seconds', 'Storage (MySQL or SQLite) call latency by operation, seconds.', ['operation'], LATENCY_BUCKETS);
    this.#storageErrors = new TallyFamily(registry, 'counter', 'imcluster_storage_errors_total', 'Storage calls that failed, by operation.', ['operation']);
    for (const kind of ['keys', 'mids', 'room', 'broadcast']) this.#pushes.labels(kind);
    for (const op of ['send', 'ack', 'sync', 'read', 'recall', 'conversations']) this.#chatRequests.labels(op, '0');
  }

  pushes(kind: string): Counter {
    return this.#pushes.labels(kind);
  }

  produceFailure(code: string): Counter {
    return this.#produceFailures.labels(code);
  }

  chatRequest(op: ChatOp, code: number): Counter {
    return this.#chatRequests.labels(op, String(code));
  }

  chatSeconds(op: ChatOp): Histogram {
    return this.#chatSeconds.labels(op);
  }

  /** `storage` with each call timed and its failures counted, by method name. */
  timeStorage<S extends object>(storage: S): S {
    return timeCalls(
      storage,
      (operation) => this.storageSeconds(operation),
      (operation) => this.storageErrors(operation),
    );
  }

  storageSeconds(operation: string): Histogram {
    return this.#storageSeconds.labels(operation);
  }

  storageErrors(operation: string): Counter {
    return this.#storageErrors.labels(operation);
  }
}
