import type { Logger } from '@imcluster/common';
import { logLevel, type logCreator } from 'kafkajs';

/**
 * Routes kafkajs' own log lines into our pino logger. kafkajs "info" lines are lifecycle chatter
 * (every join, every start), so they go to debug. So do the connection's "Response ..." errors:
 * it logs every error answer (REBALANCE_IN_PROGRESS, TOPIC_ALREADY_EXISTS, ...) at error level,
 * although the layer above handles them and logs itself when one really fails.
 */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
      const entry = { kafkajs: namespace, ...fields };
      if (namespace === 'Connection' && message.startsWith('Response ')) {
        logger.debug(entry, message);
      } else if (level === logLevel.ERROR) {
        logger.error(entry, message);
      } else if (level === logLevel.WARN) {
        logger.warn(entry, message);
      } else if (level === logLevel.INFO) {
        logger.debug(entry, message);
      } else {
        logger.trace(entry, message);
      }
    };
}

/** The kafkajs level that lets through only what `logger` will print anyway. */
export function kafkaLogLevel(logger: Logger): logLevel {
  if (logger.isLevelEnabled('trace')) {
    return logLevel.DEBUG;
  }
  return logger.isLevelEnabled('debug') ? logLevel.INFO : logLevel.WARN;
}
