import { createLogger, stopOnSignal } from '@imcluster/common';
import { createRegistry, loadAdapterConfig } from '@imcluster/adapters';
import { Health, Metrics, ObservabilityServer } from '@imcluster/metrics';
import { Comet } from './comet.ts';
import { loadCometConfig } from './config.ts';

const config = loadCometConfig();
const adapters = loadAdapterConfig();
const logger = createLogger('comet').child({ id: config.id });
const registry = createRegistry(adapters, logger);
const metrics = new Metrics();
const health = new Health();
const comet = new Comet(config, { registry, logger, metrics, health });
const observability = new ObservabilityServer(metrics, health);
metrics.collectDefaults();
const metricsPort = await observability.listen(config.host, config.metricsPort);
const addresses = await comet.start();
logger.info({ ...addresses, metrics: `${config.advertiseHost}:${metricsPort}` }, 'ready');
stopOnSignal(async () => {
  await comet.close();
  await registry.close();
  await observability.close();
}, logger);
