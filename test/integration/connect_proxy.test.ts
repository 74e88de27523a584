// The connect proxy (issue 17): a real standalone node asks a business backend, written here as a
// plain HTTP server, who each socket is. goim's example client, re-implemented below from
// docs/protocol.md, connects with its exact auth body and no token, and receives pushes to its mid.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { CloseCode, Op } from '@imcluster/protocol';
import { fileCleanup } from '../helpers/cleanup.ts';
import { API_KEY } from '../helpers/cluster.ts';
import { TestClient } from '../helpers/client.ts';
import { post } from '../helpers/push.ts';
import { startStandalone, tempDataDir, type StandaloneHandle } from '../helpers/standalone.ts';

const cleanup = fileCleanup();

/** goim's example client's auth body (examples/javascript/client.js), byte for byte. */
const GOIM_AUTH = '{"mid":123,"room_id":"live://1000","platform":"web","accepts":[1000,1001,1002]}';

interface ProxyRequest {
  auth: string;
  dialect: string;
  transport: string;
  client_address: string;
  comet: string;
  time: number;
}

/**
 * The business backend: checks the signature as docs/operations.md tells backends to, records
 * each request, and answers with whatever `decide` says (or never, for `'hang'`).
 */
class StubBackend {
  readonly requests: ProxyRequest[] = [];
  badSignatures = 0;
  decide: (request: ProxyRequest) => object | 'hang' = () => ({ result: 'deny' });
  readonly #hanging: http.ServerResponse[] = [];
  readonly #server = http.createServer((req, res) => void this.#handle(req, res));
  port = 0;

  async listen(port = 0): Promise<void> {
    this.#server.listen(port, '127.0.0.1');
    await once(this.#server, 'listening');
    this.port = (this.#server.address() as AddressInfo).port;
  }

  /** Stops answering at all: connections are refused. */
  async stop(): Promise<void> {
    this.release();
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  /** Answers the requests held by `'hang'` with a deny (their callers have long given up). */
  release(): void {
    for (const res of this.#hanging.splice(0)) res.end(JSON.stringify({ result: 'deny' }));
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const expected = Buffer.from(`sha256=${createHmac('sha256', API_KEY).update(raw).digest('hex')}`);
    const given = Buffer.from(String(req.headers['x-imcluster-signature'] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      this.badSignatures++;
      return void res.writeHead(401).end();
    }
    const request = JSON.parse(raw.toString('utf8')) as ProxyRequest;
    this.requests.push(request);
    const answer = this.decide(request);
    if (answer === 'hang') return void this.#hanging.push(res);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }

  callsFor(auth: string): number {
    return this.requests.filter((r) => r.auth === auth).length;
  }
}

interface GoimPacket {
  ver: number;
  op: number;
  seq: number;
  body: Buffer;
}

/**
 * goim's client logic, from the protocol: a binary WebSocket; op 7 (ver 1, seq 1) with the auth
 * body first; on op 8 it starts heartbeats (op 2); op 9 bodies are split into their packets; op 6
 * tells why the server closes. Everything it reads is kept in order.
 */
class GoimClient {
  readonly packets: GoimPacket[] = [];
  readonly #ws: WebSocket;
  readonly closed: Promise<number>;
  #heartbeat?: NodeJS.Timeout;
  #waiters: (() => void)[] = [];

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    this.closed = once(ws, 'close').then(([code]) => {
      clearInterval(this.#heartbeat);
      this.#wake();
      return code as number;
    });
    ws.on('error', () => undefined);
    ws.on('message', (data: Buffer) => {
      for (const packet of split(data)) this.#read(packet);
      this.#wake();
    });
  }

  static async connect(address: string, authBody: string): Promise<GoimClient> {
    const ws = new WebSocket(`ws://${address}/sub`, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    await once(ws, 'open');
    const client = new GoimClient(ws);
    ws.send(pack(7, 1, Buffer.from(authBody)));
    return client;
  }

  /** The first packet with `op` (waits for it), or undefined when the socket closes first. */
  async next(op: number): Promise<GoimPacket | undefined> {
    for (;;) {
      const found = this.packets.find((p) => p.op === op);
      if (found) return found;
      if (this.#ws.readyState === WebSocket.CLOSED) return undefined;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  async authReply(): Promise<{ code: number; mid?: number; room?: string; message?: string; info?: Record<string, unknown> }> {
    const reply = await this.next(8);
    assert.ok(reply, 'an op-8 reply before the close');
    return JSON.parse(reply.body.toString('utf8')) as { code: number };
  }

  close(): void {
    this.#ws.close();
  }

  #read(packet: GoimPacket): void {
    if (packet.op === 9) return split(packet.body).forEach((inner) => this.#read(inner));
    this.packets.push(packet);
    if (packet.op === 8) this.#heartbeat = setInterval(() => this.#ws.send(pack(2, 2, Buffer.alloc(0))), 30_000);
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

/** A packet: packLen, headerLen 16, ver 1, op, seq, all big-endian, then the body. */
function pack(op: number, seq: number, body: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(16 + body.length, 0);
  header.writeUInt16BE(16, 4);
  header.writeUInt16BE(1, 6);
  header.writeUInt32BE(op, 8);
  header.writeUInt32BE(seq, 12);
  return Buffer.concat([header, body]);
}

function split(bytes: Buffer): GoimPacket[] {
  const packets: GoimPacket[] = [];
  for (let at = 0; at + 16 <= bytes.length; ) {
    const packLen = bytes.readUInt32BE(at);
    const headerLen = bytes.readUInt16BE(at + 4);
    packets.push({ ver: bytes.readUInt16BE(at + 6), op: bytes.readUInt32BE(at + 8), seq: bytes.readUInt32BE(at + 12), body: bytes.subarray(at + headerLen, at + packLen) });
    at += packLen;
  }
  return packets;
}

describe('connect proxy (IM_AUTH_CONNECT_PROXY_URL)', () => {
  const backend = new StubBackend();
  let node: StandaloneHandle;
  let n = 0;
  /** A goim body no other test sends (answers are cached per body). */
  const uniqueBody = (extra: object = {}) => JSON.stringify({ mid: 0, room_id: `live://${++n}`, platform: 'web', token: `t${n}`, ...extra });

  before(async () => {
    await backend.listen();
    cleanup.after(() => backend.stop());
    node = await startStandalone(cleanup, tempDataDir(cleanup), {
      IM_AUTH_CONNECT_PROXY_URL: `http://127.0.0.1:${backend.port}/im/connect`,
      IM_AUTH_CONNECT_PROXY_TIMEOUT_MS: '2000',
      IM_AUTH_CONNECT_PROXY_CONCURRENCY: '2',
      IM_AUTH_CONNECT_PROXY_CACHE_MS: '60000',
      IM_ANONYMOUS_ROOMS: '',
    });
  });

  it("accepts goim's example client byte for byte when the backend allows mid 123; pushes to mid 123 and its room reach it", async () => {
    backend.decide = (r) => (r.auth === GOIM_AUTH ? { result: 'allow', user: 123, info: { nick: 'goim-123' } } : { result: 'deny' });
    const client = await GoimClient.connect(node.ws, GOIM_AUTH);
    const reply = await client.authReply();
    assert.equal(reply.code, 0);
    assert.equal(reply.mid, 123);
    assert.equal(reply.room, 'live://1000');
    assert.deepEqual(reply.info, { nick: 'goim-123' }, "the backend's info reaches the app");
    const [asked] = backend.requests.filter((r) => r.auth === GOIM_AUTH);
    assert.ok(asked);
    assert.equal(asked.dialect, 'goim');
    assert.equal(asked.transport, 'ws');
    assert.match(asked.client_address, /127\.0\.0\.1/);
    assert.ok(asked.comet.length > 0, 'the comet id is sent');
    assert.equal(backend.badSignatures, 0);

    assert.equal((await post(`http://${node.http}/goim/push/mids?operation=1000&mids=123`, 'to mid 123')).status, 200);
    const toMid = await client.next(1000);
    assert.equal(toMid?.body.toString(), 'to mid 123');
    assert.equal((await post(`http://${node.http}/goim/push/room?operation=1001&type=live&room=1000`, 'to the room')).status, 200);
    assert.equal((await client.next(1001))?.body.toString(), 'to the room', 'room messages arrive in op-9 batches, split by the client');
    client.close();
  });

  it('a Bilibili body over TCP: the backend sees the dialect and transport; its room and expiry win', async () => {
    const body = JSON.stringify({ uid: 0, roomid: 7, protover: 0, platform: 'web', type: 2, key: 'bili-session' });
    backend.decide = () => ({ result: 'allow', user: 456, room: 'live://8', expires_at: Math.floor(Date.now() / 1000) + 3600 });
    const client = await TestClient.tcp(node.tcp);
    const reply = await client.auth(body);
    assert.equal(reply.code, 0);
    assert.equal(reply.mid, 456);
    assert.equal(reply.room, 'live://8');
    const asked = backend.requests.at(-1)!;
    assert.deepEqual([asked.auth, asked.dialect, asked.transport], [body, 'bili', 'tcp']);
    client.close();
  });

  it("deny: the backend's 4000-4999 code closes the socket; other denies close with 3504", async () => {
    backend.decide = (r) => (r.auth.includes('"banned"') ? { result: 'deny', code: 4403, reason: 'banned user' } : { result: 'deny', code: 1, reason: 'no session' });
    const banned = await GoimClient.connect(node.ws, uniqueBody({ banned: true }));
    assert.deepEqual(await banned.authReply(), { code: 4403, message: 'banned user' });
    assert.equal(await banned.closed, 4403);
    const other = await TestClient.ws(node.ws);
    const reply = await other.auth(uniqueBody());
    assert.deepEqual([reply.code, reply.message], [CloseCode.AUTH_FAILED, 'no session']);
    assert.equal(await other.waitClosed(), CloseCode.AUTH_FAILED);
  });

  it('a cached answer: the same body twice calls the backend once', async () => {
    backend.decide = () => ({ result: 'allow', user: 789 });
    const body = uniqueBody();
    for (let i = 0; i < 2; i++) {
      const client = await TestClient.ws(node.ws);
      assert.equal((await client.auth(body)).mid, 789);
      client.close();
    }
    assert.equal(backend.callsFor(body), 1);
  });

  it("a string user is the backend's own id: mapped to one imcluster user, created on first sight, who can chat", async () => {
    const crm = `crm-${process.pid}-${++n}`;
    backend.decide = (r) => ({ result: 'allow', user: r.auth.includes('"peer"') ? `${crm}-peer` : crm });
    const [a, again, peer] = [await TestClient.ws(node.ws), await TestClient.tcp(node.tcp), await TestClient.ws(node.ws)];
    const mid = (await a.auth(uniqueBody())).mid!;
    assert.ok(mid > 0);
    assert.equal((await again.auth(uniqueBody())).mid, mid, 'the same user string, another body: the same user');
    const peerMid = (await peer.auth(uniqueBody({ peer: true }))).mid!;
    assert.notEqual(peerMid, mid);
    const seq = a.send(Op.SendMsg, JSON.stringify({ client_msg_id: `m-${crm}`, to: { type: 'user', id: peerMid }, payload: 'hi' }));
    const ack = await a.next((p) => p.op === Op.SendMsgReply && p.seq === seq);
    assert.equal((JSON.parse(ack.body.toString('utf8')) as { code: number }).code, 0);
    assert.match((await peer.next((p) => p.op === Op.ChatMessage)).body.toString('utf8'), /"hi"/);
    for (const c of [a, again, peer]) c.close();
  });

  it('timeout: a backend that does not answer in IM_AUTH_CONNECT_PROXY_TIMEOUT_MS closes with 3004 (retry), never lets in', async () => {
    backend.decide = () => 'hang';
    const client = await TestClient.ws(node.ws);
    const reply = await client.auth(uniqueBody());
    assert.equal(reply.code, CloseCode.LOGIC_UNAVAILABLE);
    assert.equal(await client.waitClosed(), CloseCode.LOGIC_UNAVAILABLE);
    backend.release();
  });

  it('over IM_AUTH_CONNECT_PROXY_CONCURRENCY: 3004 at once, without asking the backend', async () => {
    backend.decide = () => 'hang';
    const before = backend.requests.length;
    const [a, b, third] = [await TestClient.ws(node.ws), await TestClient.ws(node.ws), await TestClient.ws(node.ws)];
    const held = [a, b].map((c) => c.auth(uniqueBody()));
    while (backend.requests.length < before + 2) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal((await third.auth(uniqueBody())).code, CloseCode.LOGIC_UNAVAILABLE);
    assert.equal(backend.requests.length, before + 2, 'the third was never sent to the backend');
    for (const reply of await Promise.all(held)) assert.equal(reply.code, CloseCode.LOGIC_UNAVAILABLE, 'the held two time out');
    backend.release();
  });

  it('backend down: connections are refused with 3004; a cached allow still serves', async () => {
    backend.decide = () => ({ result: 'allow', user: 321 });
    const cachedBody = uniqueBody();
    const first = await TestClient.ws(node.ws);
    assert.equal((await first.auth(cachedBody)).mid, 321);
    first.close();
    await backend.stop();
    const refused = await TestClient.ws(node.ws);
    assert.equal((await refused.auth(uniqueBody())).code, CloseCode.LOGIC_UNAVAILABLE);
    assert.equal(await refused.waitClosed(), CloseCode.LOGIC_UNAVAILABLE);
    const cached = await TestClient.ws(node.ws);
    assert.equal((await cached.auth(cachedBody)).mid, 321);
    cached.close();
  });
});
