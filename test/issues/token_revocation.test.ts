// Regression (issue 10, finding 5): tokens could not be revoked and sockets outlived them (with a
// 60 s token lifetime a socket was still open and chatting at 70 s). Now a socket is closed with
// 3509 when its token expires, and logout or a password change revokes every token of the user
// (refused on HTTP and socket auth) and closes its open sockets, on every comet, with 3510.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CloseCode } from '@imcluster/protocol';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { TestClient } from '../helpers/client.ts';
import { startStandalone, tempDataDir, type StandaloneHandle } from '../helpers/standalone.ts';
import { registerUser } from '../helpers/users.ts';

const cleanup = fileCleanup();

function post(http: string, path: string, token: string, body?: object): Promise<Response> {
  return fetch(`${http}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

describe('a socket ends with its token (IM_TOKEN_TTL_SEC=3)', () => {
  let node: StandaloneHandle;

  before(async () => {
    node = await startStandalone(cleanup, tempDataDir(cleanup), { IM_TOKEN_TTL_SEC: '3' });
  });

  for (const kind of ['ws', 'tcp'] as const) {
    it(`closes a ${kind} connection with 3509 TOKEN_EXPIRED once its token expires`, async () => {
      const user = await registerUser(`http://${node.http}`);
      const client = await TestClient.connect(kind, node[kind]);
      assert.equal((await client.auth({ room_id: 'live://1', token: user.token })).code, 0);
      assert.equal(await client.waitClosed(15_000), CloseCode.TOKEN_EXPIRED);
      assert.equal(client.disconnectBody?.code, CloseCode.TOKEN_EXPIRED, 'op 6 carries the code on both transports');
      const again = await TestClient.connect(kind, node[kind]);
      assert.equal((await again.auth({ room_id: 'live://1', token: user.token })).code, CloseCode.AUTH_FAILED, 'the expired token is refused');
    });
  }
});

describe('logout and password changes revoke tokens and close sockets on every comet', () => {
  let cluster: TestCluster;

  before(async () => {
    cluster = await TestCluster.start(cleanup, { comets: 2 });
  });

  /** A fresh user with a WebSocket on comet 1 and a TCP connection on comet 2, both authenticated. */
  async function connected() {
    const user = await registerUser(cluster.http);
    const clients = [await TestClient.ws(cluster.comets[0]!.ws), await TestClient.tcp(cluster.comets[1]!.tcp)];
    for (const client of clients) assert.equal((await client.auth({ room_id: 'live://1', token: user.token })).code, 0);
    return { user, clients };
  }

  async function assertRevoked(token: string): Promise<void> {
    const res = await fetch(`${cluster.http}/api/v1/friends`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as { message: string }).message, /revoked/);
    const client = await TestClient.ws(cluster.comets[0]!.ws);
    const reply = await client.auth({ room_id: 'live://1', token });
    assert.equal(reply.code, CloseCode.AUTH_FAILED);
    assert.match(reply.message!, /revoked/);
  }

  it('logout: 204, both open sockets closed with 3510, the old token refused on HTTP and socket auth; a new login works', async () => {
    const { user, clients } = await connected();
    assert.equal((await post(cluster.http, '/api/v1/logout', user.token)).status, 204);
    for (const client of clients) assert.equal(await client.waitClosed(5_000), CloseCode.TOKEN_REVOKED);
    await assertRevoked(user.token);
    const login = await fetch(`${cluster.http}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: user.name, password: 'secret-password' }) });
    const fresh = ((await login.json()) as { token: string }).token;
    const client = await TestClient.tcp(cluster.comets[1]!.tcp);
    assert.equal((await client.auth({ room_id: 'live://1', token: fresh })).code, 0);
    client.close();
  });

  it('password change: a new token in the answer, the old sessions closed with 3510 and the old token refused', async () => {
    const { user, clients } = await connected();
    const wrong = await post(cluster.http, '/api/v1/password', user.token, { current: 'wrong-password', password: 'a-new-password' });
    assert.equal(wrong.status, 403);
    const changed = await post(cluster.http, '/api/v1/password', user.token, { current: 'secret-password', password: 'a-new-password' });
    assert.equal(changed.status, 200);
    const { token } = (await changed.json()) as { token: string };
    for (const client of clients) assert.equal(await client.waitClosed(5_000), CloseCode.TOKEN_REVOKED);
    await assertRevoked(user.token);
    const friends = await fetch(`${cluster.http}/api/v1/friends`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(friends.status, 200);
  });
});
