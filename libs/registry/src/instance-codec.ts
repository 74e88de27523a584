import type { ServiceInstance } from './registry.ts';

/** Stored form of an instance: its JSON text. */
export function encodeInstance(instance: ServiceInstance): string {
  return JSON.stringify(instance);
}

/**
 * Parses a stored instance; anything that is not a well-formed instance (written by hand or by an
 * incompatible version) yields undefined, so one bad value cannot break discovery for the rest.
 */
export function decodeInstance(text: string): ServiceInstance | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.service !== 'string' || !isRecord(value.addrs)) {
    return undefined;
  }
  const instance: ServiceInstance = { id: value.id, service: value.service, addrs: stringValues(value.addrs) };
  if (isRecord(value.meta)) instance.meta = scalarValues(value.meta);
  return instance;
}

/** Watchers receive instances ordered by id, as the port promises. */
export function byId(a: ServiceInstance, b: ServiceInstance): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Rejects names that would break the key layout (a "/" in a service name would nest prefixes). */
export function checkInstance(instance: ServiceInstance): void {
  if (!instance.service || instance.service.includes('/')) throw new Error(`invalid service name "${instance.service}"`);
  if (!instance.id) throw new Error('service instance needs an id');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringValues(record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) if (typeof v === 'string') out[k] = v;
  return out;
}

function scalarValues(record: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(record)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}
