import { z } from 'zod';

/**
 * Parses `source` (normally process.env) with a zod schema and fails with one readable message
 * listing every bad variable, so a misconfigured process stops before it opens a socket.
 */
export function parseEnv<S extends z.ZodType>(schema: S, source: Record<string, string | undefined> = process.env): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`invalid configuration:\n${lines.join('\n')}`);
}

/** Splits a comma-separated list such as "127.0.0.1:2479,127.0.0.1:2480". */
export function splitList(value: string): string[] {
  return value.split(',').map((x) => x.trim()).filter(Boolean);
}

/** A comma-separated list setting with its default. */
export function csv(defaultValue: string) {
  return z.string().default(defaultValue).transform(splitList);
}

/** "true"/"1"/"yes" and "false"/"0"/"no". */
export const bool = z.union([z.boolean(), z.string()]).transform((v) => v === true || /^(1|true|yes|on)$/i.test(String(v)));

export { z };
