import { createLogger, stopOnSignal } from '@imcluster/common';
import { createAdapters, loadAdapterConfig } from '@imcluster/adapters';
import { Health, Metrics } from '@imcluster/metrics';
import { loadLogicConfig } from './config.ts';
import { Logic } from './logic.ts';

const config = loadLogicConfig();
const adapterConfig = loadAdapterConfig();
const logger = createLogger('logic').child({ id: config.id });
const adapters = createAdapters(adapterConfig, config.id, logger);
const metrics = new Metrics();
const health = new Health();
const logic = new Logic(config, { ...adapters, logger, pushTopic: adapterConfig.pushTopic, partitions: adapterConfig.partitions, metrics, health });
metrics.collectDefaults();
const addresses = await logic.start();
logger.info({ ...addresses }, 'ready');
stopOnSignal(async () => {
  await logic.close();
  await adapters.close();
}, logger);
