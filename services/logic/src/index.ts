export { Logic, type LogicAddresses, type LogicDeps } from './logic.ts';
export { loadLogicConfig, DEV_API_KEY, DEV_JWT_SECRET, type LogicConfig } from './config.ts';
