import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { CloseCode } from '@imcluster/protocol';
import { MemoryRouting } from '@imcluster/routing';
import { SqliteStorage } from '@imcluster/storage';
import { Authenticator } from '../src/auth/authenticator.ts';
import { AuthRefused, RoomRefused } from '../src/auth/errors.ts';
import { Tokens } from '../src/auth/tokens.ts';
import { Connections } from '../src/connections.ts';
import { ORIGIN } from './helpers.ts';

const SECRET = 'auth-test-secret-0123456789';
const API_KEY = 'auth-test-api-key';
const NO_SUCH_USER = 999_999;

let dir: string;
let storage: SqliteStorage;
let auth: Authenticator;
let tokens: Tokens;
let alice: { id: number; token: string };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imcluster-auth-'));
  storage = new SqliteStorage({ url: `file:${join(dir, 'auth.db')}` });
  await storage.migrate();
  tokens = new Tokens(SECRET, 3600);
  auth = new Authenticator({ tokens, storage, apiKey: API_KEY, anonymousRooms: ['live://'] });
  const user = await storage.createUser('alice', 'not-a-real-hash');
  alice = { id: user.id, token: await tokens.mint(user.id, 0) };
});

after(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

const body = (json: object) => Buffer.from(JSON.stringify(json));
const refused = (pattern: RegExp) => (error: unknown) => error instanceof AuthRefused && pattern.test(error.message);

describe('Authenticator: sockets', () => {
  it('knows the user of a valid token in both dialects', async () => {
    const goim = await auth.socket(body({ room_id: 'room://1', token: alice.token }), ORIGIN);
    assert.equal(goim.mid, alice.id);
    assert.equal(goim.request.room, 'room://1');
    const bili = await auth.socket(body({ roomid: 7, key: alice.token, uid: 12345 }), ORIGIN);
    assert.equal(bili.mid, alice.id, "the token's sub wins over the claimed uid");
    assert.equal(bili.request.room, 'live://7');
  });

  it('refuses a valid token that names no user', async () => {
    await assert.rejects(auth.socket(body({ room_id: 'live://1', token: await tokens.mint(NO_SUCH_USER, 0) }), ORIGIN), refused(/names no user/));
  });

  it('refuses bad tokens, bad bodies, claimed ids without a token and anonymous viewers outside anonymous rooms', async () => {
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(alice.id)).setExpirationTime('1h').sign(new TextEncoder().encode('another-secret-another-secret'));
    await assert.rejects(auth.socket(body({ room_id: 'live://1', token: forged }), ORIGIN), refused(/invalid or expired token/));
    await assert.rejects(auth.socket(body({ room_id: 'live://1', token: 'nope' }), ORIGIN), refused(/invalid or expired token/));
    await assert.rejects(auth.socket(Buffer.from('{nope'), ORIGIN), refused(/not JSON/));
    await assert.rejects(auth.socket(body({ room_id: 'has space', token: alice.token }), ORIGIN), refused(/room id/));
    await assert.rejects(auth.socket(body({ mid: alice.id, room_id: 'live://1' }), ORIGIN), refused(/token is required/));
    await assert.rejects(auth.socket(body({ room_id: 'room://1' }), ORIGIN), refused(/anonymous/));
    await assert.rejects(auth.socket(body({}), ORIGIN), refused(/anonymous/));
  });

  // Issue 10, finding 7: fields of the wrong type were coerced ("0" -> 0, [] -> 0, true -> 1, "0x10" -> 16).
  it('refuses auth fields of the wrong type, and accepts lists past 256 ops or with ops past 32 bits', async () => {
    for (const mid of ['0', [], null, false, 1.5]) {
      await assert.rejects(auth.socket(body({ mid, room_id: 'live://1' }), ORIGIN), refused(/invalid auth body/), `mid ${JSON.stringify(mid)}`);
    }
    for (const roomid of [[5], '0x10', true, ' 12 ', '', null, -1]) {
      await assert.rejects(auth.socket(body({ roomid }), ORIGIN), refused(/invalid auth body/), `roomid ${JSON.stringify(roomid)}`);
    }
    await assert.rejects(auth.socket(body({ roomid: 1, uid: '0' }), ORIGIN), refused(/invalid auth body/));
    await assert.rejects(auth.socket(body({ roomid: 1, protover: '2' }), ORIGIN), refused(/invalid auth body/));
    await assert.rejects(auth.socket(body({ room_id: 'live://1', accepts: [99_999_999_999] }), ORIGIN), refused(/invalid auth body/));
    await assert.rejects(auth.socket(body({ room_id: 'live://1', accepts: Array.from({ length: 257 }, (_, i) => i) }), ORIGIN), refused(/invalid auth body/));
    assert.equal((await auth.socket(body({ roomid: '12' }), ORIGIN)).request.room, 'live://12', 'decimal digits in a string, as documented');
    const widest = await auth.socket(body({ room_id: 'live://1', accepts: [...Array.from({ length: 255 }, (_, i) => i), 0xffffffff] }), ORIGIN);
    assert.equal(widest.request.accepts.length, 256);
  });

  it('admits an anonymous viewer where allowed', async () => {
    assert.equal((await auth.socket(body({ roomid: 1000 }), ORIGIN)).mid, 0);
  });
});

describe('Authenticator: HTTP', () => {
  it('knows the user of a bearer token', async () => {
    assert.equal(await auth.user(`Bearer ${alice.token}`), alice.id);
    assert.equal(await auth.user(`bearer   ${alice.token} `), alice.id, 'the scheme is case-insensitive');
  });

  it('refuses what is no user token of an existing user', async () => {
    await assert.rejects(auth.user(undefined), refused(/missing bearer/));
    await assert.rejects(auth.user(alice.token), refused(/missing bearer/), 'the scheme is required');
    await assert.rejects(auth.user(`Bearer ${API_KEY}`), refused(/invalid or expired/));
    await assert.rejects(auth.user(`Bearer ${await tokens.mint(NO_SUCH_USER, 0)}`), refused(/names no user/));
  });

  it('takes the API key only as a bearer credential', () => {
    auth.apiKey(`Bearer ${API_KEY}`);
    for (const header of [undefined, '', API_KEY, `Bearer ${API_KEY}x`, `Bearer ${alice.token}`, `Basic ${API_KEY}`]) {
      assert.throws(() => auth.apiKey(header), refused(/API key/), String(header));
    }
  });
});

describe('Authenticator: rooms', () => {
  it('applies the room id rule and the anonymous rule to room changes', () => {
    auth.checkRoom(alice.id, 'room://any');
    auth.checkRoom(alice.id, '');
    auth.checkRoom(0, 'live://9');
    const room = (pattern: RegExp) => (error: unknown) => error instanceof RoomRefused && pattern.test(error.message);
    assert.throws(() => auth.checkRoom(alice.id, 'x'.repeat(129)), room(/room id/));
    assert.throws(() => auth.checkRoom(alice.id, 'a b'), room(/room id/));
    assert.throws(() => auth.checkRoom(0, 'room://1'), room(/anonymous/));
    assert.throws(() => auth.checkRoom(0, ''), room(/anonymous/));
  });
});

describe('Connections.connect', () => {
  it('answers 3504 for a token naming no user and registers nothing', async () => {
    const routing = new MemoryRouting({ ttlSec: 60 });
    after(() => routing.close());
    const connections = new Connections({ routing, auth, heartbeatSec: 30 });
    const refusal = await connections.connect(ORIGIN, body({ room_id: 'live://1', token: await tokens.mint(NO_SUCH_USER, 0) }));
    assert.equal(refusal.code, CloseCode.AUTH_FAILED);
    assert.match(refusal.message ?? '', /names no user/);
    assert.deepEqual(await routing.routesOfUsers([NO_SUCH_USER]), []);
    const ok = await connections.connect(ORIGIN, body({ room_id: 'live://1', token: alice.token }));
    assert.equal(ok.code, 0);
    assert.equal(ok.mid, alice.id);
  });
});
