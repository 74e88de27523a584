export { Comet, type CometAddresses, type CometDeps } from './comet.ts';
export { cometSettings, cometConfig, loadCometConfig, type CometConfig } from './config.ts';
export { useHeapMode } from './heap.ts';
