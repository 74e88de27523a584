import { bool, createLogger, logSettings, parseEnv, settingsOrExit, startOrExit, stopOnSignal, z } from '@imcluster/common';
import { adapterConfig, adapterSettings } from '@imcluster/adapters';
import { cometConfig, cometSettings, useHeapMode } from '@imcluster/comet';
import { jobConfig, jobSettings } from '@imcluster/job';
import { logicConfig, logicSettings } from '@imcluster/logic';
import { clusterCredentials, clusterSettings, grpcLogsTo, loadProtos } from '@imcluster/proto';
import { banner, devSecretsInUse } from './banner.ts';
import { StandaloneNode } from './node.ts';

const standaloneSettings = z.object({
  /** `1`: print the banner even when stdout is not a terminal. */
  IM_BANNER: bool.default(false),
});

// Standalone unless told otherwise; any role's own variable still points it at a real service.
// The demo app's danmaku form works out of the box here (a node on a laptop, not a deployment).
const env = { IM_MODE: 'standalone', IM_COMET_ID: 'node-1', IM_LOGIC_ID: 'node-1', IM_JOB_ID: 'node-1', IM_DEMO_DANMAKU: 'true', ...process.env };
// Every role's settings in one pass: all bad variables are reported together.
const settings = settingsOrExit('standalone', () => parseEnv(env, logSettings, adapterSettings, clusterSettings, cometSettings, logicSettings, jobSettings, standaloneSettings));
const adapters = adapterConfig(settings);
const configs = { adapters, cluster: clusterCredentials(settings), comet: cometConfig(settings, adapters), logic: logicConfig(settings), job: jobConfig(settings) };
// The node's comet holds its connections: the same heap mode as a comet process.
useHeapMode(configs.comet.heap);
const logger = createLogger('imcluster', settings.IM_LOG_LEVEL, settings.IM_LOG_FORMAT);
loadProtos();
grpcLogsTo(logger);
const node = new StandaloneNode(configs, logger);
const addresses = await startOrExit(() => node.start(), logger, settings);
logger.info({ http: addresses.logic.http, ws: addresses.comet.ws, tcp: addresses.comet.tcp, grpc: addresses.comet.grpc }, 'ready');
const devSecrets = devSecretsInUse(configs.logic);
if (devSecrets.length > 0) logger.warn({ variables: devSecrets }, 'development secrets in use: set your own before others can reach this node');
if (process.stdout.isTTY || settings.IM_BANNER) process.stderr.write(banner(addresses, configs.adapters, configs.logic));
stopOnSignal(() => node.close(), logger);
