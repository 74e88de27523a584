import './lean_heap.ts';
import { createLogger, logSettings, parseEnv, settingsOrExit, startOrExit, stopOnSignal } from '@imcluster/common';
import { adapterConfig, adapterSettings, createRegistry } from '@imcluster/adapters';
import { Health, Metrics, ObservabilityServer } from '@imcluster/metrics';
import { clusterCredentials, clusterSettings, grpcLogsTo, loadProtos } from '@imcluster/proto';
import { Comet } from './comet.ts';
import { cometConfig, cometSettings } from './config.ts';

const settings = settingsOrExit('comet', () => parseEnv(process.env, logSettings, adapterSettings, clusterSettings, cometSettings));
const adapters = adapterConfig(settings);
const config = cometConfig(settings, adapters);
const logger = createLogger('comet', settings.IM_LOG_LEVEL, settings.IM_LOG_FORMAT).child({ id: config.id });
loadProtos();
grpcLogsTo(logger);
const registry = createRegistry(adapters, logger);
const metrics = new Metrics();
const health = new Health();
const comet = new Comet(config, { registry, cluster: clusterCredentials(settings), logger, metrics, health });
const observability = new ObservabilityServer(metrics, health);
metrics.collectDefaults();
const metricsPort = await startOrExit(() => observability.listen(config.host, config.metricsPort), logger, settings);
const metricsAddress = `${config.advertiseHost}:${metricsPort}`;
const addresses = await startOrExit(() => comet.start({ metricsAddress }), logger, settings);
logger.info({ ...addresses, metrics: metricsAddress }, 'ready');
stopOnSignal(async () => {
  await comet.close();
  await registry.close();
  await observability.close();
}, logger);
