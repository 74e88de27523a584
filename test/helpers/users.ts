import { randomBytes } from 'node:crypto';

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
