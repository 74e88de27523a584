export { Logic, type LogicAddresses, type LogicDeps } from './logic.ts';
export { loadLogicConfig, DEV_API_KEY, type LogicConfig } from './config.ts';
