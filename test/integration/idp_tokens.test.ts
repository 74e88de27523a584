// Identity-provider tokens (issue 17): a real standalone node checks RS256/ES256/EdDSA tokens
// against a key set served by a local HTTP server written here, which rotates its keys. A token's
// subject maps to an imcluster user created on first sight, who can then make friends and chat.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { CloseCode, Op } from '@imcluster/protocol';
import { ChatClient } from '../helpers/chat.ts';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestClient } from '../helpers/client.ts';
import { startStandalone, tempDataDir, type StandaloneHandle } from '../helpers/standalone.ts';

const cleanup = fileCleanup();

const ISSUER = 'https://idp.test/';
const AUDIENCE = 'imcluster-test';

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256' | 'EdDSA';
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string, alg: SigningKey['alg']): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** The identity provider's key set endpoint: serves `published`, counts fetches. */
class JwksServer {
  published: SigningKey[] = [];
  fetches = 0;
  readonly #server = http.createServer((_req, res) => {
    this.fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.published.map((k) => k.jwk) }));
  });

  async listen(): Promise<string> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

function token(key: SigningKey, sub: string, claims: { iss?: string; aud?: string } = {}): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setSubject(sub)
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key.privateKey);
}

describe('identity-provider tokens (IM_AUTH_JWKS_URL)', () => {
  const jwks = new JwksServer();
  let node: StandaloneHandle;
  let rsa: SigningKey;
  let ec: SigningKey;
  let ed: SigningKey;
  let stranger: SigningKey;
  let n = 0;
  const subject = (name: string) => `${name}-${process.pid}-${++n}@idp.test`;

  async function socketAuth(jwt: string): Promise<{ code: number; mid?: number; message?: string }> {
    const client = await TestClient.ws(node.ws);
    const reply = await client.auth({ room_id: 'room://idp', token: jwt });
    client.close();
    return reply;
  }

  function api(path: string, jwt: string, body?: object): Promise<Response> {
    return fetch(`http://${node.http}/api/v1${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${jwt}`, ...(body && { 'content-type': 'application/json' }) },
      ...(body && { body: JSON.stringify(body) }),
    });
  }

  before(async () => {
    [rsa, ec, ed, stranger] = await Promise.all([signingKey('rsa-1', 'RS256'), signingKey('ec-2', 'ES256'), signingKey('ed-3', 'EdDSA'), signingKey('x-9', 'ES256')]);
    jwks.published = [rsa];
    const url = await jwks.listen();
    cleanup.after(() => jwks.stop());
    node = await startStandalone(cleanup, tempDataDir(cleanup), {
      IM_AUTH_JWKS_URL: url,
      IM_AUTH_JWKS_ISSUER: ISSUER,
      IM_AUTH_JWKS_AUDIENCE: AUDIENCE,
      // Refetch on every unknown kid: the rotation below need not wait out a cooldown.
      IM_AUTH_JWKS_COOLDOWN_MS: '0',
    });
  });

  it('accepts a valid RS256 token on a socket and on the HTTP API; its subject is one user from then on', async () => {
    const sub = subject('alice');
    const first = await socketAuth(await token(rsa, sub));
    assert.equal(first.code, 0);
    assert.ok(first.mid! > 0);
    assert.equal((await socketAuth(await token(rsa, sub))).mid, first.mid, 'the same subject maps to the same user');
    assert.notEqual((await socketAuth(await token(rsa, subject('bob')))).mid, first.mid);
    const friends = await api('/friends', await token(rsa, sub));
    assert.equal(friends.status, 200);
    assert.deepEqual(await friends.json(), { friends: [] });
  });

  it('refuses a wrong issuer or audience (3504, HTTP 401)', async () => {
    for (const claims of [{ iss: 'https://other-idp.test/' }, { aud: 'another-app' }]) {
      const jwt = await token(rsa, subject('mallory'), claims);
      const reply = await socketAuth(jwt);
      assert.equal(reply.code, CloseCode.AUTH_FAILED, JSON.stringify(claims));
      assert.match(reply.message!, /identity-provider token/);
      assert.equal((await api('/friends', jwt)).status, 401);
    }
  });

  it('key rotation: tokens of the new ES256 and EdDSA keys are accepted, the retired key is refused', async () => {
    jwks.published = [ec, ed];
    assert.equal((await socketAuth(await token(ec, subject('carol')))).code, 0, 'a new kid refetches the key set');
    assert.equal((await socketAuth(await token(ed, subject('dave')))).code, 0);
    assert.equal((await socketAuth(await token(rsa, subject('erin')))).code, CloseCode.AUTH_FAILED);
  });

  it('refuses a token signed by a key the provider never published, after looking again', async () => {
    const fetches = jwks.fetches;
    const reply = await socketAuth(await token(stranger, subject('frank')));
    assert.equal(reply.code, CloseCode.AUTH_FAILED);
    assert.ok(jwks.fetches > fetches, 'an unknown kid refetches the key set before refusing');
  });

  it('mapped users make friends and chat', async () => {
    jwks.published = [ec, ed];
    const [a, b] = [await token(ec, subject('gina')), await token(ed, subject('hank'))];
    const alice = await ChatClient.connect('ws', node.ws, a);
    const bob = await ChatClient.connect('tcp', node.tcp, b);
    const ids = await Promise.all([a, b].map(async (jwt) => (await socketAuth(jwt)).mid!));
    assert.equal((await api('/friends/requests', a, { to: ids[1] })).status, 200);
    assert.equal((await api(`/friends/requests/${ids[0]}/accept`, b, {})).status, 200);
    assert.deepEqual(await (await api('/friends', a)).json(), { friends: [ids[1]] });
    const ack = await alice.send(ids[1]!, 'hello from the identity provider');
    assert.equal(ack.code, 0);
    const delivered = await bob.client.next((p) => p.op === Op.ChatMessage);
    assert.match(delivered.body.toString('utf8'), /hello from the identity provider/);
    alice.client.close();
    bob.client.close();
  });

  it('a key set that cannot be fetched answers 3004 (retry), not a refusal', async () => {
    await jwks.stop();
    const reply = await socketAuth(await token(await signingKey('new-4', 'ES256'), subject('ivan')));
    assert.equal(reply.code, CloseCode.LOGIC_UNAVAILABLE);
  });
});
