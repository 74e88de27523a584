import { badRequest } from './errors.ts';

type Query = Record<string, string | string[] | undefined>;

/** Values of a query parameter given repeated (`?k=a&k=b`) or comma-separated (`?k=a,b`), as goim's clients do both. */
export function listParam(query: Query, name: string): string[] {
  const raw = query[name];
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export function intParam(query: Query, name: string, fallback?: number): number {
  const raw = query[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === '') {
    if (fallback !== undefined) return fallback;
    throw badRequest(`missing parameter ${name}`);
  }
  if (!/^-?\d+$/.test(value)) throw badRequest(`parameter ${name} must be an integer`);
  return Number(value);
}

export function stringParam(query: Query, name: string): string {
  const raw = query[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) throw badRequest(`missing parameter ${name}`);
  return value;
}

export function midList(values: string[]): number[] {
  return values.map((v) => {
    const mid = Number(v);
    if (!Number.isSafeInteger(mid) || mid <= 0) throw badRequest(`invalid mid ${v}`);
    return mid;
  });
}
