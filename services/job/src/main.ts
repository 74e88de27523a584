import { createLogger, logSettings, parseEnv, settingsOrExit, startOrExit, stopOnSignal } from '@imcluster/common';
import { adapterConfig, adapterSettings, createQueue, createRegistry, createRouting } from '@imcluster/adapters';
import { Health, Metrics, ObservabilityServer } from '@imcluster/metrics';
import { clusterCredentials, clusterSettings, grpcLogsTo, loadProtos } from '@imcluster/proto';
import { jobConfig, jobSettings } from './config.ts';
import { Job } from './job.ts';

const settings = settingsOrExit('job', () => parseEnv(process.env, logSettings, adapterSettings, clusterSettings, jobSettings));
const adapterChoice = adapterConfig(settings);
const config = jobConfig(settings);
const logger = createLogger('job', settings.IM_LOG_LEVEL, settings.IM_LOG_FORMAT).child({ id: config.id });
loadProtos();
grpcLogsTo(logger);
const registry = createRegistry(adapterChoice, logger);
const routing = createRouting(adapterChoice);
const queue = createQueue(adapterChoice, config.id, logger, config.partitionsConcurrency);
const metrics = new Metrics();
const health = new Health();
const job = new Job(config, {
  registry,
  cluster: clusterCredentials(settings),
  routing,
  queue,
  logger,
  pushTopic: adapterChoice.pushTopic,
  partitions: adapterChoice.partitions,
  groupId: adapterChoice.jobGroup,
  id: config.id,
  metrics,
  health,
});
const observability = new ObservabilityServer(metrics, health);
metrics.collectDefaults();
const metricsPort = await startOrExit(() => observability.listen(config.metricsHost, config.metricsPort), logger, settings);
const metricsAddress = `${config.advertiseHost}:${metricsPort}`;
await startOrExit(() => job.start({ metricsAddress }), logger, settings);
logger.info({ metrics: metricsAddress }, 'ready');
stopOnSignal(async () => {
  await job.close();
  await Promise.allSettled([queue.close(), routing.close()]);
  await registry.close();
  await observability.close();
}, logger);
