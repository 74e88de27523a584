import type { Logger } from '@imcluster/common';
import type { Health, Metrics } from '@imcluster/metrics';
import { decodePushMsg, type ClusterCredentials, type PushMsg__Output } from '@imcluster/proto';
import type { Consumer, DeliveredMessage, PartitionState, Queue } from '@imcluster/queue';
import type { Registration, Registry } from '@imcluster/registry';
import type { Routing } from '@imcluster/routing';
import { CometPool } from './comet_pool.ts';
import type { JobConfig } from './config.ts';
import { Dispatcher } from './dispatcher.ts';
import { settled } from './settled.ts';

export interface JobDeps {
  registry: Registry;
  /** Shown to comets on every push. */
  cluster: ClusterCredentials;
  routing: Routing;
  queue: Queue;
  logger: Logger;
  pushTopic: string;
  partitions: number;
  /** Consumer group shared by every job process of the namespace. */
  groupId: string;
  /** This process's id in the registry. */
  id: string;
  metrics: Metrics;
  /** Where the job adds its readiness checks (job.partitions, job.comets, job.routing, job.registry). */
  health: Health;
}

/**
 * A job worker: a member of the push consumer group. A batch's offset is committed only after
 * every comet it concerns accepted it; a job that dies leaves its batch to another member.
 */
export class Job {
  readonly #deps: JobDeps;
  readonly #comets: CometPool;
  readonly #stuckFailures: number;
  readonly dispatcher: Dispatcher;
  #consumer?: Consumer;
  #statsTimer?: NodeJS.Timeout;
  #busy = 0;
  #registration?: Registration;
  #lastActive = 0;

  constructor(config: JobConfig, deps: JobDeps) {
    this.#deps = deps;
    this.#stuckFailures = config.stuckPartitionFailures;
    this.#comets = new CometPool({
      registry: deps.registry,
      cluster: deps.cluster,
      timeoutMs: config.cometTimeoutMs, attempts: config.pushAttempts, suspendMs: config.cometSuspendMs, logger: deps.logger, calls: deps.metrics.grpc.client });
    this.dispatcher = new Dispatcher({
      routing: deps.routing,
      comets: this.#comets,
      roomBatchMs: config.roomBatchMs,
      roomBatchMax: config.roomBatchMax,
      metrics: deps.metrics.job,
    });
  }

  /** `metricsAddress`: where /metrics answers for this process, registered for the operator console. */
  async start(options: { metricsAddress?: string } = {}): Promise<void> {
    this.#watchHealth();
    await this.#comets.start();
    await this.#deps.queue.ensureTopic(this.#deps.pushTopic, this.#deps.partitions);
    this.#consumer = await this.#deps.queue.consumer(this.#deps.groupId, [this.#deps.pushTopic]);
    await this.#consumer.run(async ({ messages }) => {
      this.#busy++;
      this.#lastActive = Date.now();
      try {
        await this.#handle(messages);
      } finally {
        this.#busy--;
        this.#lastActive = Date.now();
      }
    });
    // Jobs serve no client address; registering makes every process of the cluster visible to
    // operators, and its metrics address lets logic's console read it.
    const addrs: Record<string, string> = options.metricsAddress ? { metrics: options.metricsAddress } : {};
    this.#registration = await this.#deps.registry.register({ id: this.#deps.id, service: 'job', addrs, meta: { group: this.#deps.groupId } });
    this.#statsTimer = setInterval(() => this.#deps.logger.info({ ...this.dispatcher.stats }, 'job stats'), 30_000);
    this.#statsTimer.unref();
  }

  /**
   * Resolves once no batch has been in hand for `quietMs` (or after `maxMs`): used before a
   * shutdown, after producers stopped, so that what was accepted is handed on first.
   */
  async idle(quietMs = 300, maxMs = 10_000): Promise<void> {
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline && (this.#busy > 0 || Date.now() - this.#lastActive < quietMs)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Ready while it holds partitions of the queue and none is stuck behind a failing batch, has
   * comets to hand pushes to, and reaches routing and the registry.
   */
  #watchHealth(): void {
    const { health, metrics, routing } = this.#deps;
    const assignment = () => this.#consumer?.assignment() ?? [];
    health.add('job.partitions', () => this.#partitionsProblem(assignment()));
    health.add('job.comets', () => (this.#comets.ids().length > 0 ? undefined : 'no comet registered'));
    health.add('job.routing', () => routing.ping().then(() => undefined));
    health.add('job.registry', () => (this.#registration?.held ? undefined : 'registration lease not held (etcd unreachable?)'));
    metrics.trackLease('job', () => this.#registration?.held ?? false);
    metrics.job.trackConsumer(assignment);
  }

  /**
   * Redelivery never gives up (at-least-once): a batch that can never succeed holds up every push
   * behind it on its partition, and readiness (with the failures gauge) is where an operator sees it.
   */
  #partitionsProblem(held: PartitionState[]): string | undefined {
    if (held.length === 0) return 'holds no queue partition (queue unreachable, rebalancing, or more jobs than partitions)';
    const stuck = held.filter(({ failures }) => failures >= this.#stuckFailures);
    if (stuck.length === 0) return undefined;
    const list = stuck.map(({ partition, failures }) => `partition ${partition}: ${failures} failed deliveries in a row`).join('; ');
    return `stuck behind a failing batch (${list}); the messages behind it wait, see the 'batch handler failed; redelivering' warnings`;
  }

  async close(): Promise<void> {
    clearInterval(this.#statsTimer);
    await this.#registration?.close();
    this.dispatcher.flush();
    await this.#consumer?.close();
    await this.#comets.close();
  }

  /**
   * Dispatches a partition's batch. Room messages enter the room batcher in order without waiting
   * (so they merge); other pushes with the same Kafka key run one after the other, keeping each
   * user's and each connection's order. A failed batch is reported only once every push in it
   * settled (see settled()).
   */
  async #handle(messages: DeliveredMessage[]): Promise<void> {
    const chains = new Map<string, Promise<void>>();
    const all: Promise<void>[] = [];
    for (const message of messages) {
      const push = this.#decode(message);
      if (!push) continue;
      if (push.type === 'ROOM') {
        if (push.ts > 0) this.#deps.metrics.job.roomAgeSeconds.consumed.observe(Math.max(0, Date.now() - push.ts) / 1000);
        all.push(this.dispatcher.dispatch(push));
        continue;
      }
      const next = (chains.get(message.key) ?? Promise.resolve()).then(() => this.dispatcher.dispatch(push));
      chains.set(message.key, next);
      all.push(next);
    }
    await settled(all);
  }

  // A message that is not a PushMsg can never succeed: skip it rather than block its partition.
  #decode(message: DeliveredMessage): PushMsg__Output | undefined {
    try {
      return decodePushMsg(message.value);
    } catch (error) {
      this.#deps.metrics.job.undecodable.inc();
      this.#deps.logger.error({ err: error, partition: message.partition, offset: message.offset }, 'undecodable push skipped');
      return undefined;
    }
  }
}
