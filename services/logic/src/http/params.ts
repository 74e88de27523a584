import { z } from '@imcluster/common';

/** The first value of a query parameter given more than once. */
const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);

/** Whole numbers only ("1e3", "0x10" and "" are refused); documented as an integer. */
export function intQuery(description: string) {
  return z
    .preprocess(first, z.string({ error: 'required' }).regex(/^-?\d{1,16}$/, 'must be an integer'))
    .transform(Number)
    .meta({ type: 'integer', description });
}

/** A seq in a query: a whole number, 0 or more, that a JavaScript number holds exactly ("-1", "1e20" are refused). */
export function seqQuery(description: string) {
  return z
    .preprocess(first, z.string({ error: 'required' }).regex(/^\d{1,16}$/, 'must be a whole number, 0 or more'))
    .transform(Number)
    .refine(Number.isSafeInteger, 'too large')
    .meta({ type: 'integer', minimum: 0, description });
}

/** A required non-empty string; the first one when given more than once. */
export function stringQuery(description: string) {
  return z.preprocess(first, z.string({ error: 'required' }).min(1, 'required')).meta({ description });
}

/** Values given repeated (`?k=a&k=b`) or comma-separated (`?k=a,b`), as goim's clients do both; at least one. */
export function listQuery(description: string) {
  const split = (value: unknown) =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value])
      .flatMap((v) => String(v).split(','))
      .map((v) => v.trim())
      .filter(Boolean);
  return z.preprocess(split, z.array(z.string()).min(1, 'required')).meta({ description });
}

/** A positive id from the path: digits only, so `1e3`, `0x10` and `-1` are refused. */
export function idParam(description: string) {
  return z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'not a positive integer id')
    .transform(Number)
    .refine(Number.isSafeInteger, 'not a positive integer id')
    .meta({ type: 'integer', minimum: 1, description });
}

/** Positive user ids in a list parameter. */
export const midList = (description: string) =>
  listQuery(description).pipe(z.array(z.string().regex(/^[1-9]\d{0,15}$/, 'invalid mid').transform(Number)));
