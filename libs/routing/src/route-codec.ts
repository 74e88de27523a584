import type { Connection, KeyRoute } from './routing.ts';

/**
 * Values stored in Redis, encoded in one place.
 *
 * A route member ([key, mid, server] as JSON) goes into the user and room sorted sets: readers get a
 * whole KeyRoute from one ZRANGE, and the member is a pure function of the connection, so ZREM can
 * remove it without reading first. JSON keeps any character in keys or comet ids unambiguous.
 */
export function encodeRoute(route: KeyRoute): string {
  return JSON.stringify([route.key, route.mid, route.server]);
}

export function decodeRoute(member: string): KeyRoute | undefined {
  const value = parseJson(member);
  if (!Array.isArray(value) || value.length !== 3) return undefined;
  const [key, mid, server] = value as unknown[];
  if (typeof key !== 'string' || typeof mid !== 'number' || typeof server !== 'string') return undefined;
  return { key, mid, server };
}

/** Value of `<ns>:key:<key>`: the connection without its key (the key is in the name). */
export function encodeConnRecord(conn: Connection): string {
  return JSON.stringify({ mid: conn.mid, server: conn.server, room: conn.room });
}

export function decodeConnRecord(key: string, text: string): Connection | undefined {
  const value = parseJson(text);
  if (typeof value !== 'object' || value === null) return undefined;
  const { mid, server, room } = value as Record<string, unknown>;
  if (typeof mid !== 'number' || typeof server !== 'string' || typeof room !== 'string') return undefined;
  return { key, mid, server, room };
}

export function routeOf(conn: Connection): KeyRoute {
  return { key: conn.key, mid: conn.mid, server: conn.server };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
