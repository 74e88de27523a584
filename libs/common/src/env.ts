import { z } from 'zod';
import { isSecret, secretProblems } from './secrets.ts';

/** One variable a process refused: its name, the value it was given and what it accepts. */
export interface ConfigProblem {
  variable: string;
  value: string | undefined;
  allowed: string;
}

/** Every bad variable of a process, found in one pass, so one run shows them all. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable}=${p.value ?? ''}: ${p.allowed}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;
type AnySchema = z.ZodObject;
type Parsed<T extends AnySchema[]> = T extends [infer H extends AnySchema, ...infer R extends AnySchema[]] ? z.infer<H> & Parsed<R> : unknown;

/**
 * Parses `source` (normally process.env) with the settings schemas of every part of a process in
 * one pass and fails with a ConfigError listing every bad variable, secrets included (see
 * secrets.ts; their values are never shown). A variable belongs to exactly one schema: the one of
 * the part that uses it (a second owner is a programming error).
 */
export function parseEnv<T extends AnySchema[]>(source: Env, ...schemas: T): Parsed<T> {
  const shape: Record<string, z.core.SomeType> = {};
  for (const schema of schemas) {
    for (const [variable, setting] of Object.entries(schema.shape)) {
      if (variable in shape) throw new Error(`${variable} is declared by two settings schemas`);
      shape[variable] = setting;
    }
  }
  const result = z.object(shape).safeParse(source);
  const problems = (result.error?.issues ?? []).map((issue) => {
    const variable = String(issue.path[0]);
    const value = isSecret(shape[variable]) ? undefined : source[variable];
    return { variable, value, allowed: allowed(shape[variable], issue) };
  });
  problems.push(...secretProblems(shape, source));
  if (result.success && problems.length === 0) return result.data as Parsed<T>;
  throw new ConfigError(problems);
}

/** What a setting accepts, in words: numbers and choices from the schema itself, else the check's message. */
function allowed(setting: z.core.SomeType | undefined, issue: z.core.$ZodIssue): string {
  const inner = unwrap(setting);
  if (inner instanceof z.ZodNumber) {
    const kind = inner.isInt ? 'an integer' : 'a number';
    const { minValue: min, maxValue: max } = inner;
    const bounded = (n: number | null) => n !== null && Number.isFinite(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER;
    if (bounded(min) && bounded(max)) return `${kind} from ${min} to ${max}`;
    if (bounded(min)) return `${kind} >= ${min}`;
    return kind;
  }
  if (inner instanceof z.ZodEnum) return `one of ${inner.options.join(', ')}`;
  if (issue.code === 'too_small' && issue.origin === 'string') return issue.minimum === 1 ? 'not empty' : `at least ${issue.minimum} characters`;
  return issue.message;
}

function unwrap(setting: z.core.SomeType | undefined): z.core.SomeType | undefined {
  const def = (setting as { def?: { innerType?: z.core.SomeType; in?: z.core.SomeType } } | undefined)?.def;
  const next = def?.innerType ?? def?.in;
  return next ? unwrap(next) : setting;
}

/** Splits a comma-separated list such as "127.0.0.1:2479,127.0.0.1:2480". */
export function splitList(value: string): string[] {
  return value.split(',').map((x) => x.trim()).filter(Boolean);
}

/** A comma-separated list setting with its default. */
export function csv(defaultValue: string) {
  return z.string().default(defaultValue).transform(splitList);
}

/** "true"/"1"/"yes"/"on" and "false"/"0"/"no"/"off"; anything else is refused rather than read as false. */
export const bool = z
  .union([z.boolean(), z.string().regex(/^(1|true|yes|on|0|false|no|off)$/i, 'true or false (also 1/0, yes/no, on/off)')])
  .transform((v) => v === true || /^(1|true|yes|on)$/i.test(String(v)));

export { z };

/** `host:port` (the host may hold colons, as an IPv6 address does) as ioredis and net take it. */
export function hostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}
