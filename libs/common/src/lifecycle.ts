import type { Logger } from 'pino';
import { ConfigError } from './env.ts';

/** Exit status of a process refused by its configuration (bad variable, port in use). */
export const CONFIG_EXIT_CODE = 2;

/**
 * Runs `parse` (a process's settings); on a ConfigError writes the list of bad variables to
 * stderr and exits with CONFIG_EXIT_CODE, so an operator sees every mistake at once and no stack.
 */
export function settingsOrExit<T>(processName: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${processName}: ${error.message}\n`);
    process.exit(CONFIG_EXIT_CODE);
  }
}

/**
 * Runs a process's `start`. A port already taken ends the process with one line naming the
 * setting to change (found among the `*_PORT` variables of `settings`); any other failure is
 * logged with its stack. Either way the process exits, as nothing half-started should linger.
 */
export async function startOrExit<T>(start: () => Promise<T>, logger: Logger, settings: Record<string, unknown>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const port = portInUse(error);
    if (port === undefined) {
      logger.fatal({ err: error }, 'start failed');
      process.exit(1);
    }
    const variables = Object.keys(settings).filter((k) => k.endsWith('_PORT') && settings[k] === port);
    const which = variables.length > 0 ? variables.join(' or ') : 'its port setting';
    logger.fatal(`port ${port} is already in use: set ${which} to a free port`);
    process.exit(CONFIG_EXIT_CODE);
  }
}

function portInUse(error: unknown): number | undefined {
  const e = error as { code?: unknown; port?: unknown } | undefined;
  return e?.code === 'EADDRINUSE' && typeof e.port === 'number' ? e.port : undefined;
}

/**
 * Waits for SIGTERM or SIGINT, then runs `stop` once and exits 0 (1 when stopping failed or a
 * second signal insists). Crashes are logged with their stack before the process exits.
 */
export function stopOnSignal(stop: () => Promise<void>, logger: Logger): void {
  let stoppingSince: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // Ctrl-C under `pnpm start` arrives twice at once: from the terminal and forwarded by pnpm.
      if (Date.now() - stoppingSince < SAME_SIGNAL_MS) return;
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info({ signal }, 'stopping');
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    logger.fatal({ err: error }, 'unhandled rejection');
    process.exit(1);
  });
}

/** Signals closer together than this are one request to stop. */
const SAME_SIGNAL_MS = 1000;
