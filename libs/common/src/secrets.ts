import { z } from 'zod';
import type { ConfigProblem } from './env.ts';

/** Shortest secret accepted (IM_JWT_SECRET, IM_API_KEY, IM_CLUSTER_SECRET): `openssl rand -hex 32` gives 64. */
export const SECRET_MIN_LENGTH = 32;

/** The development value of each secret setting, for the checks parseEnv runs after parsing. */
const devValues = new WeakMap<z.core.SomeType, () => string>();

/**
 * A secret setting (signing key, API key, cluster secret). Unset, it takes `devValue` so a
 * standalone node works out of the box; in cluster mode it must be set, differ from the
 * development value and have SECRET_MIN_LENGTH characters (see secretProblems). Its value never
 * appears in an error message.
 */
export function secret(devValue: string | (() => string)) {
  const dev = typeof devValue === 'string' ? () => devValue : devValue;
  const setting = z
    .string()
    .optional()
    .transform((value) => value ?? dev());
  devValues.set(setting, dev);
  return setting;
}

export function isSecret(setting: z.core.SomeType | undefined): boolean {
  return setting !== undefined && devValues.has(setting);
}

/**
 * The secrets of `shape` that `source` leaves unsafe. IM_MODE=cluster (the default) requires each
 * to be set, not the development value and long enough; any mode refuses a short one of its own,
 * as a short key is a mistake wherever it runs.
 */
export function secretProblems(shape: Record<string, z.core.SomeType>, source: Record<string, string | undefined>): ConfigProblem[] {
  const cluster = (source.IM_MODE ?? 'cluster') === 'cluster';
  const problems: ConfigProblem[] = [];
  for (const [variable, setting] of Object.entries(shape)) {
    const dev = devValues.get(setting);
    if (!dev) continue;
    const allowed = secretRule(source[variable], dev, cluster);
    if (allowed) problems.push({ variable, value: hidden(source[variable]), allowed });
  }
  return problems;
}

function secretRule(value: string | undefined, dev: () => string, cluster: boolean): string | undefined {
  const generate = `(generate one: openssl rand -hex 32)`;
  if (value === undefined) return cluster ? `required in cluster mode: a random secret of at least ${SECRET_MIN_LENGTH} characters ${generate}` : undefined;
  if (value === dev()) return cluster ? `the documented development value, refused in cluster mode ${generate}` : undefined;
  if (value.length < SECRET_MIN_LENGTH) return `at least ${SECRET_MIN_LENGTH} characters ${generate}`;
  return undefined;
}

/** How a secret's value shows in an error: its length only. */
function hidden(value: string | undefined): string | undefined {
  return value === undefined ? undefined : `<hidden, ${value.length} characters>`;
}
