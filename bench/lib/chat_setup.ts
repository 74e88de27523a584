import { ChatConn } from './chat_conn.ts';
import type { PhasePlan } from './chat_phase.ts';

export interface BenchUser {
  id: number;
  token: string;
}

/** Logic's HTTP API, as a registered user or anonymously. */
async function api(http: URL, path: string, body: object, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(new URL(path, http), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Registers `count` fresh users named b<run><tag><i>, ten at a time. */
export async function registerUsers(http: URL, run: string, tag: string, count: number): Promise<BenchUser[]> {
  const out: BenchUser[] = [];
  for (let i = 0; i < count; i += 10) {
    const names = Array.from({ length: Math.min(10, count - i) }, (_, j) => `b${run}${tag}${i + j}`);
    const batch = await Promise.all(names.map((name) => api(http, '/api/v1/users', { name, password: 'bench-password' })));
    out.push(...batch.map((u) => ({ id: Number(u.id), token: String(u.token) })));
  }
  return out;
}

/** A group owned by the first user with every other one as a member; resolves with its id. */
export async function createGroup(http: URL, run: string, members: BenchUser[]): Promise<number> {
  const [owner, ...others] = members;
  if (!owner) throw new Error('a group needs at least one member');
  const group = Number((await api(http, '/api/v1/groups', { name: `bench-${run}` }, owner.token)).id);
  for (const member of others) await api(http, `/api/v1/groups/${group}/members`, { user: member.id }, owner.token);
  return group;
}

/** One WebSocket device per user, spread round-robin over the comets. */
export function connectAll(users: BenchUser[], comets: URL[]): Promise<ChatConn[]> {
  return Promise.all(users.map((u, i) => ChatConn.open(comets[i % comets.length]!, u.token)));
}

/** Users 2k and 2k+1 send to each other; each message reaches both users' devices. */
export function pairsPlan(users: BenchUser[], conns: ChatConn[]): PhasePlan {
  const senders = conns.map((conn, i) => ({ conn, user: users[i]!.id, to: { type: 'user' as const, id: users[i % 2 ? i - 1 : i + 1]!.id } }));
  return { name: 'one-to-one', senders, receivers: conns, devicesPerMessage: 2 };
}

/** Every member sends to the group; each message reaches every member's device, the sender's too. */
export function groupPlan(users: BenchUser[], conns: ChatConn[], group: number): PhasePlan {
  const senders = conns.map((conn, i) => ({ conn, user: users[i]!.id, to: { type: 'group' as const, id: group } }));
  return { name: 'group', senders, receivers: conns, devicesPerMessage: conns.length };
}
