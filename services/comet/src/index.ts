export { Comet, type CometAddresses, type CometDeps } from './comet.ts';
export { loadCometConfig, type CometConfig } from './config.ts';
