import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { CloseCode, encodePacket, Op } from '@imcluster/protocol';
import { fileCleanup } from '../helpers/cleanup.ts';
import { JWT_SECRET, TestCluster } from '../helpers/cluster.ts';
import { TestClient } from '../helpers/client.ts';
import { NO_SUCH_USER, registerUser, tokenFor } from '../helpers/users.ts';

const hooks = fileCleanup();
let cluster: TestCluster;
let user: { id: number; token: string };

before(async () => {
  cluster = await TestCluster.start(hooks, { comets: 2, env: { IM_COMET_HANDSHAKE_TIMEOUT_MS: '1000' } });
  user = await registerUser(cluster.http);
});

const transports = ['ws', 'tcp'] as const;

describe('authentication in both dialects, on both transports and both comets', () => {
  for (const kind of transports) {
    for (const cometIndex of [0, 1]) {
      it(`goim-style JSON over ${kind} on comet ${cometIndex + 1}`, async () => {
        const client = await TestClient.connect(kind, cluster.comets[cometIndex]![kind]);
        const reply = await client.auth({ mid: user.id, room_id: 'live://1000', platform: 'web', accepts: [1000, 1001], token: user.token });
        assert.equal(reply.code, 0);
        assert.equal(reply.mid, user.id);
        assert.equal(reply.room, 'live://1000');
        assert.match(reply.key!, /^[0-9a-f-]{36}$/);
        client.close();
      });

      it(`Bilibili-live-style JSON over ${kind} on comet ${cometIndex + 1}`, async () => {
        const client = await TestClient.connect(kind, cluster.comets[cometIndex]![kind]);
        const reply = await client.auth({ uid: user.id, roomid: 1000, protover: 2, platform: 'web', type: 2, key: user.token });
        assert.equal(reply.code, 0);
        assert.equal(reply.room, 'live://1000');
        assert.equal(reply.mid, user.id);
        client.close();
      });
    }
  }

  it('accepts a token minted elsewhere with the shared secret', async () => {
    const client = await TestClient.ws(cluster.comets[0]!.ws);
    const reply = await client.auth({ room_id: 'room://x', token: await tokenFor(user.id) });
    assert.equal(reply.code, 0);
    assert.equal(reply.mid, user.id);
    client.close();
  });

  for (const kind of transports) {
    it(`refuses over ${kind}, and on HTTP, a valid token that names no user`, async () => {
      const token = await tokenFor(NO_SUCH_USER);
      const client = await TestClient.connect(kind, cluster.comets[1]![kind]);
      const reply = await client.auth({ room_id: 'live://1', token });
      assert.equal(reply.code, CloseCode.AUTH_FAILED);
      assert.match(reply.message!, /names no user/);
      assert.equal(await client.waitClosed(), CloseCode.AUTH_FAILED);
      const res = await fetch(`${cluster.http}/api/v1/conversations`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { code: number }).code, -401);
    });
  }

  it('lets an anonymous viewer into a live:// room only', async () => {
    const viewer = await TestClient.ws(cluster.comets[0]!.ws);
    const ok = await viewer.auth({ uid: 0, roomid: 7, protover: 0, platform: 'web', type: 2, key: '' });
    assert.equal(ok.code, 0);
    assert.equal(ok.mid, 0);
    viewer.close();

    const elsewhere = await TestClient.tcp(cluster.comets[1]!.tcp);
    const refused = await elsewhere.auth({ mid: 0, room_id: 'room://private' });
    assert.equal(refused.code, CloseCode.AUTH_FAILED);
    assert.equal(await elsewhere.waitClosed(), CloseCode.AUTH_FAILED);
  });
});

describe('bad input gets its documented answer and never wedges the comet', () => {
  const cases: [string, (c: TestClient) => void, number][] = [
    ['an invalid token', (c) => c.send(Op.Auth, JSON.stringify({ room_id: 'live://1', token: 'not-a-jwt' })), CloseCode.AUTH_FAILED],
    ['a token signed with another secret', (c) => c.send(Op.Auth, JSON.stringify({ room_id: 'live://1', token: forged })), CloseCode.AUTH_FAILED],
    ['an auth body that is not JSON', (c) => c.send(Op.Auth, '{nope'), CloseCode.AUTH_FAILED],
    ['a heartbeat before auth', (c) => c.send(Op.Heartbeat), CloseCode.AUTH_REQUIRED],
    ['a wrong headerLen', (c) => c.sendRaw(withHeaderLen(encodePacket({ op: Op.Auth, body: '{}' }), 20)), CloseCode.BAD_PACKET],
    ['packLen smaller than the header', (c) => c.sendRaw(withPackLen(encodePacket({ op: Op.Auth, body: '{}' }), 8)), CloseCode.BAD_PACKET],
    ['a body over the limit', (c) => c.send(Op.Auth, Buffer.alloc(5000, 0x20)), CloseCode.PACKET_TOO_LARGE],
  ];
  let forged = '';
  before(async () => {
    forged = await tokenFor(user.id, 'another-secret-another-secret');
  });

  for (const kind of transports) {
    for (const [what, act, code] of cases) {
      it(`${what} over ${kind} closes with ${code}`, async () => {
        const client = await TestClient.connect(kind, cluster.comets[0]![kind]);
        act(client);
        assert.equal(await client.waitClosed(), code);
      });
    }

    it(`an expired token over ${kind} is refused in the auth reply`, async () => {
      const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(user.id)).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(new TextEncoder().encode(JWT_SECRET));
      const client = await TestClient.connect(kind, cluster.comets[0]![kind]);
      const reply = await client.auth({ room_id: 'live://1', token: expired });
      assert.equal(reply.code, CloseCode.AUTH_FAILED);
      assert.match(reply.message!, /token/);
      assert.equal(await client.waitClosed(), CloseCode.AUTH_FAILED);
    });

    it(`a second auth over ${kind} closes with ${CloseCode.DUPLICATE_AUTH}`, async () => {
      const client = await TestClient.connect(kind, cluster.comets[0]![kind]);
      assert.equal((await client.auth({ room_id: 'live://1', token: user.token })).code, 0);
      client.send(Op.Auth, JSON.stringify({ room_id: 'live://1', token: user.token }));
      assert.equal(await client.waitClosed(), CloseCode.DUPLICATE_AUTH);
    });

    it(`an unknown op over ${kind} closes with ${CloseCode.UNKNOWN_OP}`, async () => {
      const client = await TestClient.connect(kind, cluster.comets[0]![kind]);
      assert.equal((await client.auth({ room_id: 'live://1', token: user.token })).code, 0);
      client.send(77);
      assert.equal(await client.waitClosed(), CloseCode.UNKNOWN_OP);
    });

    it(`garbage bytes over ${kind} close with ${CloseCode.BAD_PACKET}`, async () => {
      const client = await TestClient.connect(kind, cluster.comets[1]![kind]);
      client.sendRaw(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      assert.equal(await client.waitClosed(), CloseCode.BAD_PACKET);
    });

    it(`no auth within the handshake timeout over ${kind} closes with ${CloseCode.AUTH_TIMEOUT}`, async () => {
      const client = await TestClient.connect(kind, cluster.comets[1]![kind]);
      assert.equal(await client.waitClosed(5000), CloseCode.AUTH_TIMEOUT);
    });
  }

  it('an oversize WebSocket message is closed with 1009', async () => {
    const client = await TestClient.ws(cluster.comets[0]!.ws);
    client.sendRaw(Buffer.alloc(64 * 1024));
    assert.equal(await client.waitClosed(), 1009);
  });

  it('the comets still serve after all of it', async () => {
    for (const comet of cluster.comets) {
      const client = await TestClient.tcp(comet.tcp);
      assert.equal((await client.auth({ room_id: 'live://1', token: user.token })).code, 0);
      assert.ok(cluster.comets.every((c) => c.process.alive));
      client.close();
    }
  });
});

function withHeaderLen(packet: Buffer, headerLen: number): Buffer {
  packet.writeUInt16BE(headerLen, 4);
  return packet;
}

function withPackLen(packet: Buffer, packLen: number): Buffer {
  packet.writeUInt32BE(packLen, 0);
  return packet;
}
