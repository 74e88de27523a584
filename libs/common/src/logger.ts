import { pino, type Logger } from 'pino';

export type { Logger };

/** One JSON logger per process; `name` tells which role wrote a line. Level from IM_LOG_LEVEL (default info). */
export function createLogger(name: string, level = process.env.IM_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { pid: process.pid } });
}
