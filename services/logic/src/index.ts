export { Logic, type LogicAddresses, type LogicDeps } from './logic.ts';
export { logicSettings, logicConfig, loadLogicConfig, DEV_API_KEY, DEV_JWT_SECRET, type LogicConfig } from './config.ts';
