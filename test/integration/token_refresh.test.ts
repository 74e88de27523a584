// In-band token refresh (issue 17): op 33 hands the server a fresh token before the current one
// expires, and the connection outlives its first token; a refused refresh leaves the old expiry.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { CloseCode, Op } from '@imcluster/protocol';
import { fileCleanup } from '../helpers/cleanup.ts';
import { JWT_SECRET } from '../helpers/cluster.ts';
import { TestClient } from '../helpers/client.ts';
import { startStandalone, tempDataDir, type StandaloneHandle } from '../helpers/standalone.ts';
import { registerUser } from '../helpers/users.ts';

const cleanup = fileCleanup();

/** A token of ours for `user` that expires `inSec` seconds from now. */
function tokenFor(user: number, inSec: number): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(user)).setExpirationTime(Math.floor(Date.now() / 1000) + inSec).sign(new TextEncoder().encode(JWT_SECRET));
}

async function refresh(client: TestClient, body: string): Promise<{ code: number; expires_at?: number; message?: string }> {
  const seq = client.send(Op.TokenRefresh, body);
  const reply = await client.next((p) => p.op === Op.TokenRefreshReply && p.seq === seq);
  return JSON.parse(reply.body.toString('utf8')) as { code: number };
}

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

describe('in-band token refresh (op 33)', () => {
  let node: StandaloneHandle;

  before(async () => {
    node = await startStandalone(cleanup, tempDataDir(cleanup));
  });

  it('a 3 s token refreshed at 1.5 s with a 60 s one: the socket is still open at 5 s', async () => {
    const user = await registerUser(`http://${node.http}`);
    const start = Date.now();
    const client = await TestClient.ws(node.ws);
    assert.equal((await client.auth({ room_id: 'live://1', token: await tokenFor(user.id, 3) })).code, 0);
    await sleepUntil(start + 1500);
    const reply = await refresh(client, JSON.stringify({ token: await tokenFor(user.id, 60) }));
    assert.equal(reply.code, 0);
    assert.ok(reply.expires_at! > Date.now() + 50_000, `the new expiry: ${reply.expires_at}`);
    await sleepUntil(start + 5000);
    assert.equal(client.closeCode, undefined, 'still open after the first token expired');
    await client.heartbeat();
    client.close();
  });

  it('refused refreshes are answered and change nothing: bad token 3504, another user 3508; the old token still ends the socket (3509)', async () => {
    const [user, other] = [await registerUser(`http://${node.http}`), await registerUser(`http://${node.http}`)];
    const client = await TestClient.tcp(node.tcp);
    assert.equal((await client.auth({ room_id: 'live://1', token: await tokenFor(user.id, 3) })).code, 0);
    assert.equal((await refresh(client, JSON.stringify({ token: 'not-a-token' }))).code, CloseCode.AUTH_FAILED);
    assert.equal((await refresh(client, 'not json')).code, CloseCode.AUTH_FAILED);
    const foreign = await refresh(client, JSON.stringify({ token: await tokenFor(other.id, 60) }));
    assert.equal(foreign.code, CloseCode.FORBIDDEN);
    assert.match(foreign.message!, /another user/);
    await client.heartbeat();
    assert.equal(await client.waitClosed(15_000), CloseCode.TOKEN_EXPIRED);
  });

  it('an anonymous viewer has nothing to refresh (3508)', async () => {
    const user = await registerUser(`http://${node.http}`);
    const client = await TestClient.ws(node.ws);
    assert.equal((await client.auth({ room_id: 'live://1' })).mid, 0);
    assert.equal((await refresh(client, JSON.stringify({ token: await tokenFor(user.id, 60) }))).code, CloseCode.FORBIDDEN);
    client.close();
  });
});
