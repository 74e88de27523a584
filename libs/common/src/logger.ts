import { pino, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import { z } from 'zod';

export type { Logger };

/** The log settings every process reads (part of its one settings schema). */
export const logSettings = z.object({
  IM_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: human-readable lines when stdout is a terminal, JSON lines otherwise. */
  IM_LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
});

export type LogFormat = z.infer<typeof logSettings>['IM_LOG_FORMAT'];

/** One logger per process; `name` tells which process or role wrote a line. */
export function createLogger(name: string, level = 'info', format: LogFormat = 'json'): Logger {
  const options = { name, level, base: { pid: process.pid } };
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  if (!pretty) return pino(options);
  // In-process and synchronous (no transport worker): the last lines before an exit are not lost.
  return pino(options, pinoPretty({ sync: true, singleLine: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' }));
}
