import { createLogger, stopOnSignal } from '@imcluster/common';
import { createRegistry, loadAdapterConfig } from '@imcluster/adapters';
import { Comet } from './comet.ts';
import { loadCometConfig } from './config.ts';

const config = loadCometConfig();
const adapters = loadAdapterConfig();
const logger = createLogger('comet').child({ id: config.id });
const registry = createRegistry(adapters, logger);
const comet = new Comet(config, { registry, logger });
const addresses = await comet.start();
logger.info({ ...addresses }, 'ready');
stopOnSignal(async () => {
  await comet.close();
  await registry.close();
}, logger);
