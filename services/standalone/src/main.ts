import { createLogger, stopOnSignal } from '@imcluster/common';
import { loadAdapterConfig } from '@imcluster/adapters';
import { loadCometConfig } from '@imcluster/comet';
import { loadJobConfig } from '@imcluster/job';
import { loadLogicConfig } from '@imcluster/logic';
import { banner } from './banner.ts';
import { StandaloneNode } from './node.ts';

// Standalone unless told otherwise; any role's own variable still points it at a real service.
const env = { IM_MODE: 'standalone', IM_COMET_ID: 'node-1', IM_LOGIC_ID: 'node-1', IM_JOB_ID: 'node-1', ...process.env };
const configs = { adapters: loadAdapterConfig(env), comet: loadCometConfig(env), logic: loadLogicConfig(env), job: loadJobConfig(env) };
const logger = createLogger('imcluster');
const node = new StandaloneNode(configs, logger);
const addresses = await node.start();
logger.info({ http: addresses.logic.http, ws: addresses.comet.ws, tcp: addresses.comet.tcp, grpc: addresses.comet.grpc }, 'ready');
if (process.stdout.isTTY || process.env.IM_BANNER === '1') process.stderr.write(banner(addresses, configs.adapters, configs.logic));
stopOnSignal(() => node.close(), logger);
