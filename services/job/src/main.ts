import { createLogger, stopOnSignal } from '@imcluster/common';
import { createQueue, createRegistry, createRouting, loadAdapterConfig } from '@imcluster/adapters';
import { Health, Metrics, ObservabilityServer } from '@imcluster/metrics';
import { loadJobConfig } from './config.ts';
import { Job } from './job.ts';

const config = loadJobConfig();
const adapterConfig = loadAdapterConfig();
const logger = createLogger('job').child({ id: config.id });
const registry = createRegistry(adapterConfig, logger);
const routing = createRouting(adapterConfig);
const queue = createQueue(adapterConfig, config.id, logger, config.partitionsConcurrency);
const metrics = new Metrics();
const health = new Health();
const job = new Job(config, {
  registry,
  routing,
  queue,
  logger,
  pushTopic: adapterConfig.pushTopic,
  partitions: adapterConfig.partitions,
  groupId: `${adapterConfig.namespace}-job`,
  id: config.id,
  metrics,
  health,
});
const observability = new ObservabilityServer(metrics, health);
metrics.collectDefaults();
const metricsPort = await observability.listen(config.metricsHost, config.metricsPort);
await job.start();
logger.info({ metrics: `${config.metricsHost}:${metricsPort}` }, 'ready');
stopOnSignal(async () => {
  await job.close();
  await Promise.allSettled([queue.close(), routing.close()]);
  await registry.close();
  await observability.close();
}, logger);
