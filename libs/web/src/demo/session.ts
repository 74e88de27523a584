import type { ImClient } from '@imcluster/client';
import { api } from '../shared/api.ts';

/** Who is signed in, as register and login answer; kept in localStorage so a reload stays signed in. */
export interface Session {
  id: number;
  name: string;
  token: string;
}

const SESSION_KEY = 'imdemo:session';

export function savedSession(): Session | undefined {
  const text = localStorage.getItem(SESSION_KEY);
  return text ? (JSON.parse(text) as Session) : undefined;
}

export async function signIn(action: 'login' | 'register', name: string, password: string): Promise<Session> {
  const session = await api<Session>('POST', action === 'login' ? '/api/v1/login' : '/api/v1/users', undefined, { name, password });
  localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

export function forgetSession(): void {
  localStorage.removeItem(SESSION_KEY);
}

/** What the parts of the page share once signed in. */
export interface Demo {
  me: Session;
  client: ImClient;
  names: Names;
  /** The user API as the signed-in user. */
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
}

/** User and group names by id, each asked of the API once. */
export class Names {
  readonly #users = new Map<number, Promise<string>>();
  readonly #groups = new Map<number, Promise<string>>();
  readonly #token: string;

  constructor(me: Session) {
    this.#token = me.token;
    this.#users.set(me.id, Promise.resolve(me.name));
  }

  user(id: number): Promise<string> {
    return this.#cached(this.#users, id, `/api/v1/users/${id}`, `user ${id}`);
  }

  group(id: number): Promise<string> {
    return this.#cached(this.#groups, id, `/api/v1/groups/${id}`, `group ${id}`);
  }

  knowGroup(id: number, name: string): void {
    this.#groups.set(id, Promise.resolve(name));
  }

  /** A conversation's title: the other user's name (`u:a:b`) or the group's (`g:n`). */
  conversation(conv: string, me: number): Promise<string> {
    const [kind, a, b] = conv.split(':');
    if (kind === 'g') return this.group(Number(a));
    return this.user(Number(a) === me ? Number(b) : Number(a));
  }

  /** The name at `path`, asked once; `fallback` when it cannot be read (a user may not see a group it left). */
  #cached(names: Map<number, Promise<string>>, id: number, path: string, fallback: string): Promise<string> {
    let name = names.get(id);
    if (!name) {
      name = api<{ name: string }>('GET', path, this.#token).then((found) => found.name, () => fallback);
      names.set(id, name);
    }
    return name;
  }
}
