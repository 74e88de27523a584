import type { Logger } from '@imcluster/common';
import { createAdapters, type AdapterConfig, type Adapters } from '@imcluster/adapters';
import { Comet, type CometAddresses, type CometConfig } from '@imcluster/comet';
import { Job, type JobConfig } from '@imcluster/job';
import { Logic, type LogicAddresses, type LogicConfig } from '@imcluster/logic';
import { Health, Metrics } from '@imcluster/metrics';
import type { ClusterCredentials } from '@imcluster/proto';

export interface NodeConfigs {
  adapters: AdapterConfig;
  /** The roles' gRPC credentials: a secret made at start unless IM_CLUSTER_SECRET is set. */
  cluster: ClusterCredentials;
  comet: CometConfig;
  logic: LogicConfig;
  job: JobConfig;
}

/**
 * Comet, logic and job in one process, sharing one bag of adapters (embedded by default), and
 * talking to each other through the same gRPC and queue paths as in a cluster.
 */
export class StandaloneNode {
  readonly #configs: NodeConfigs;
  readonly #logger: Logger;
  readonly #adapters: Adapters;
  readonly #logic: Logic;
  readonly #comet: Comet;
  readonly #job: Job;
  // One of each for the three roles: logic's HTTP port serves /metrics, /healthz and /readyz for all.
  readonly #metrics = new Metrics();
  readonly #health = new Health();

  constructor(configs: NodeConfigs, logger: Logger) {
    this.#configs = configs;
    this.#logger = logger;
    this.#adapters = createAdapters(configs.adapters, 'standalone', logger);
    const { pushTopic, partitions, jobGroup } = configs.adapters;
    const observed = { cluster: configs.cluster, metrics: this.#metrics, health: this.#health };
    this.#logic = new Logic(configs.logic, { ...this.#adapters, logger: logger.child({ role: 'logic' }), pushTopic, partitions, ...observed });
    this.#comet = new Comet(configs.comet, { registry: this.#adapters.registry, logger: logger.child({ role: 'comet' }), ...observed });
    this.#job = new Job(configs.job, { ...this.#adapters, logger: logger.child({ role: 'job' }), pushTopic, partitions, groupId: jobGroup, id: configs.job.id, ...observed });
  }

  async start(): Promise<{ logic: LogicAddresses; comet: CometAddresses }> {
    this.#metrics.collectDefaults();
    const logic = await this.#logic.start();
    // One /metrics for the three roles, on logic's HTTP port: the console reads it once for all.
    const comet = await this.#comet.start({ metricsAddress: logic.http });
    await this.#job.start({ metricsAddress: logic.http });
    return { logic, comet };
  }

  /**
   * Stops taking pushes first, lets the job hand on everything the queue accepted, then drains
   * the clients (their disconnects recorded through logic, still serving gRPC) and closes the
   * stores: nothing acknowledged is dropped on Ctrl-C.
   */
  async close(): Promise<void> {
    await this.#logic.closeHttp();
    await this.#job.idle();
    await this.#job.close();
    await this.#comet.close();
    await this.#logic.close();
    await this.#adapters.close();
    this.#logger.debug({ namespace: this.#configs.adapters.namespace }, 'standalone node closed');
  }
}
