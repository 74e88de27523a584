import { randomBytes } from 'node:crypto';
import type { Connection, KeyRoute } from '../src/routing.ts';

/** A namespace no other test run uses, so runs never see each other's keys. */
export function randomNamespace(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

export function conn(key: string, mid: number, server: string, room = ''): Connection {
  return { key, mid, server, room };
}

export function route(c: Connection): KeyRoute {
  return { key: c.key, mid: c.mid, server: c.server };
}

/** Routes in a stable order, so assertions do not depend on the order a store returns them in. */
export function sorted(routes: KeyRoute[]): KeyRoute[] {
  return [...routes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function sortedStrings(values: string[]): string[] {
  return [...values].sort();
}
