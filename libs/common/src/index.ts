export { createLogger, logSettings, type Logger, type LogFormat } from './logger.ts';
export { parseEnv, csv, splitList, bool, hostPort, z, ConfigError, type ConfigProblem } from './env.ts';
export { secret, SECRET_MIN_LENGTH } from './secrets.ts';
export { infraDefaults, defaultNamespace, defaultRoutingTtlSec } from './defaults.ts';
export { stopOnSignal, settingsOrExit, startOrExit, CONFIG_EXIT_CODE } from './lifecycle.ts';
export { ImError, errorCodeInfo, errorCodes, errorCodeOf, isErrorCode, publicMessage, type ErrorCode } from './errors.ts';
export { withDeadline } from './deadline.ts';
