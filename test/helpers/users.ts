import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { JWT_SECRET } from './cluster.ts';

/** Registers a fresh user through logic's HTTP API and returns its id and token. */
export async function registerUser(http: string, prefix = 'u'): Promise<{ id: number; name: string; token: string }> {
  const name = `${prefix}${randomBytes(6).toString('hex')}`;
  const res = await fetch(`${http}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'secret-password' }),
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: number; name: string; token: string };
}

/** A token signed with the cluster's secret, as another service would mint it, for user `id`. */
export function tokenFor(id: number, secret = JWT_SECRET): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(id)).setExpirationTime('1h').sign(new TextEncoder().encode(secret));
}

/** A user id no test registers. */
export const NO_SUCH_USER = 999_999_999;
