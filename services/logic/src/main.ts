import { createLogger, logSettings, parseEnv, settingsOrExit, startOrExit, stopOnSignal } from '@imcluster/common';
import { adapterConfig, adapterSettings, createAdapters } from '@imcluster/adapters';
import { Health, Metrics } from '@imcluster/metrics';
import { clusterCredentials, clusterSettings, grpcLogsTo, loadProtos } from '@imcluster/proto';
import { logicConfig, logicSettings } from './config.ts';
import { Logic } from './logic.ts';

const settings = settingsOrExit('logic', () => parseEnv(process.env, logSettings, adapterSettings, clusterSettings, logicSettings));
const adapterChoice = adapterConfig(settings);
const config = logicConfig(settings);
const logger = createLogger('logic', settings.IM_LOG_LEVEL, settings.IM_LOG_FORMAT).child({ id: config.id });
loadProtos();
grpcLogsTo(logger);
const adapters = createAdapters(adapterChoice, config.id, logger);
const metrics = new Metrics();
const health = new Health();
const logic = new Logic(config, { ...adapters, cluster: clusterCredentials(settings), logger, pushTopic: adapterChoice.pushTopic, partitions: adapterChoice.partitions, metrics, health });
metrics.collectDefaults();
const addresses = await startOrExit(() => logic.start(), logger, settings);
logger.info({ ...addresses }, 'ready');
stopOnSignal(async () => {
  await logic.close();
  await adapters.close();
}, logger);
