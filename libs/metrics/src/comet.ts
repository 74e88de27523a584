import type { Registry } from 'prom-client';
import { HistogramFamily, STAGE_BUCKETS, TallyFamily, type Counter, type Gauge, type Histogram } from './families.ts';

/** Kinds of push a comet receives from job over gRPC. */
export type CometPushKind = 'keys' | 'room' | 'broadcast';

/** What a comet counts: client connections, their traffic and the slow-consumer policy. */
export class CometMetrics {
  readonly #connections: TallyFamily<'transport' | 'dialect'>;
  readonly #accepted: TallyFamily<'transport'>;
  readonly #auth: TallyFamily<'code'>;
  readonly heartbeats: Counter;
  readonly pushes: Record<CometPushKind, Counter>;
  readonly roomBatchMessages: Histogram;
  /** Age of a room message (since logic accepted it) when its batch arrived and when every local member's socket had it. */
  readonly roomAgeSeconds: { received: Histogram; written: Histogram };
  readonly framesWritten: Counter;
  readonly framesDropped: Counter;
  readonly slowConsumerCloses: Counter;
  readonly chatResends: Counter;
  readonly sendQueueDepth: Histogram;

  constructor(registry: Registry) {
    this.#connections = new TallyFamily(registry, 'gauge', 'imcluster_comet_connections', 'Authenticated client connections now, by transport and dialect.', ['transport', 'dialect']);
    this.#accepted = new TallyFamily(registry, 'counter', 'imcluster_comet_sockets_accepted_total', 'Client sockets accepted (before authentication), by transport.', ['transport']);
    this.#auth = new TallyFamily(registry, 'counter', 'imcluster_comet_auth_total', 'Authentication outcomes by code: 0 accepted, else the close code the client got.', ['code']);
    this.heartbeats = new TallyFamily(registry, 'counter', 'imcluster_comet_heartbeats_total', 'Heartbeats (op 2) answered.', []).labels();
    const pushes = new TallyFamily(registry, 'counter', 'imcluster_comet_pushes_received_total', 'Push calls received from job, by kind (keys, room batch, broadcast).', ['kind']);
    this.pushes = { keys: pushes.labels('keys'), room: pushes.labels('room'), broadcast: pushes.labels('broadcast') };
    this.roomBatchMessages = new HistogramFamily(registry, 'imcluster_comet_room_batch_messages', 'Messages per room batch received from job.', [], [1, 2, 5, 10, 20, 50, 100, 200, 500]).labels();
    const ages = new HistogramFamily(registry, 'imcluster_comet_room_push_age_seconds', "Age of a room message since logic accepted it, when its batch reached the comet (received) and when every local member's socket had it (written), seconds.", ['stage'], STAGE_BUCKETS);
    this.roomAgeSeconds = { received: ages.labels('received'), written: ages.labels('written') };
    this.framesWritten = new TallyFamily(registry, 'counter', 'imcluster_comet_frames_written_total', 'Frames handed to client sockets (at once or from the connection queue).', []).labels();
    this.framesDropped = new TallyFamily(registry, 'counter', 'imcluster_comet_frames_dropped_total', 'Push frames dropped by the slow-consumer policy.', []).labels();
    this.slowConsumerCloses = new TallyFamily(registry, 'counter', 'imcluster_comet_slow_consumer_closes_total', 'Connections closed with 3002 (slow consumer).', []).labels();
    this.chatResends = new TallyFamily(registry, 'counter', 'imcluster_comet_chat_resends_total', 'Chat messages written again to a connection that had not acknowledged them (op 21).', []).labels();
    this.sendQueueDepth = new HistogramFamily(
      registry,
      'imcluster_comet_send_queue_frames',
      "Frames waiting in a connection's own send queue, sampled for every connection at each sweep.",
      [],
      [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    ).labels();
    for (const transport of ['tcp', 'ws']) {
      this.#accepted.labels(transport);
      for (const dialect of ['goim', 'bili']) this.#connections.labels(transport, dialect);
    }
    this.#auth.labels('0');
  }

  /** Bind once per connection: the gauge is raised on join and lowered on leave. */
  connections(transport: string, dialect: string): Gauge {
    return this.#connections.labels(transport, dialect);
  }

  socketAccepted(transport: string): Counter {
    return this.#accepted.labels(transport);
  }

  auth(code: number): Counter {
    return this.#auth.labels(String(code));
  }
}
