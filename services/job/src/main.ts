import { createLogger, stopOnSignal } from '@imcluster/common';
import { createQueue, createRegistry, createRouting, loadAdapterConfig } from '@imcluster/adapters';
import { loadJobConfig } from './config.ts';
import { Job } from './job.ts';

const config = loadJobConfig();
const adapterConfig = loadAdapterConfig();
const logger = createLogger('job').child({ id: config.id });
const registry = createRegistry(adapterConfig, logger);
const routing = createRouting(adapterConfig);
const queue = createQueue(adapterConfig, config.id, logger, config.partitionsConcurrency);
const job = new Job(config, {
  registry,
  routing,
  queue,
  logger,
  pushTopic: adapterConfig.pushTopic,
  partitions: adapterConfig.partitions,
  groupId: `${adapterConfig.namespace}-job`,
  id: config.id,
});
await job.start();
logger.info('ready');
stopOnSignal(async () => {
  await job.close();
  await Promise.allSettled([queue.close(), routing.close()]);
  await registry.close();
}, logger);
