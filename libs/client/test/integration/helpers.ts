import { SignJWT } from 'jose';
import type { Cleanup } from '../../../../test/helpers/cleanup.ts';
import { JWT_SECRET } from '../../../../test/helpers/cluster.ts';
import { asUser } from '../../../../test/helpers/chat.ts';
import { registerUser } from '../../../../test/helpers/users.ts';
import { createClient, type ChatMessage, type ClientEvents, type ImClient, type NodeClientOptions } from '../../src/node.ts';

/** Where a test's clients connect: a standalone node or a cluster's comets, and logic's HTTP API. */
export interface Servers {
  http: string;
  ws: string[];
  tcp: string[];
}

export interface User {
  id: number;
  token: string;
}

export function newUser(servers: Servers): Promise<User> {
  return registerUser(servers.http);
}

/** A token of `user` that expires `inSec` seconds from now, signed as logic signs them. */
export function shortToken(userId: number, inSec: number): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(userId))
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + inSec)
    .sign(new TextEncoder().encode(JWT_SECRET));
}

/** A client that the test closes when it ends; quick reconnects so that tests run fast. */
export function client(cleanup: Cleanup, servers: Servers, options: Partial<NodeClientOptions> = {}): ImClient {
  const c = createClient({
    urls: options.transport === 'tcp' ? servers.tcp : servers.ws.map((a) => `ws://${a}/sub`),
    reconnect: { baseMs: 100, maxMs: 1000, drainMaxMs: 300 },
    ...options,
  });
  cleanup.after(() => c.close());
  return c;
}

/** Everything a client emitted, by event name, in order. */
export function record(c: ImClient): { [K in keyof ClientEvents]: ClientEvents[K][] } {
  const names: (keyof ClientEvents)[] = ['connecting', 'connected', 'disconnected', 'reconnecting', 'closed', 'online', 'push', 'message', 'receipt', 'recalled', 'notice', 'sent', 'sendFailed', 'synced', 'storeError'];
  const out = Object.fromEntries(names.map((n) => [n, []])) as unknown as { [K in keyof ClientEvents]: ClientEvents[K][] };
  for (const name of names) c.on(name, (event) => (out[name] as unknown[]).push(event));
  return out;
}

export async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Messages of one conversation, as the app saw them. */
export function inConv(messages: ChatMessage[], conv: string): ChatMessage[] {
  return messages.filter((m) => m.conv === conv);
}

/** Creates a group owned by `owner` with `members`; returns its id. */
export async function createGroup(servers: Servers, owner: User, members: User[]): Promise<number> {
  const created = await asUser(servers.http, owner.token, 'POST', '/api/v1/groups', { name: 'client-sdk' });
  const id = created.body.id as number;
  for (const member of members) await asUser(servers.http, owner.token, 'POST', `/api/v1/groups/${id}/members`, { user: member.id });
  return id;
}

/** Pushes to a room or to users through logic's API (the API key of the test servers). */
export { post } from '../../../../test/helpers/push.ts';
