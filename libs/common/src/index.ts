export { createLogger, type Logger } from './logger.ts';
export { parseEnv, csv, splitList, bool, z } from './env.ts';
export { infraDefaults, defaultNamespace, defaultRoutingTtlSec } from './defaults.ts';
export { stopOnSignal } from './lifecycle.ts';
export { ImError, errorCodeInfo, errorCodes, errorCodeOf, isErrorCode, publicMessage, type ErrorCode } from './errors.ts';
