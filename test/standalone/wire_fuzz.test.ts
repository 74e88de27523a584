// A bounded fuzz of the wire parser on a live comet (issue 10): random and mutated goim packets
// over TCP and WebSocket, from a fixed seed, so a failure replays. The comet must stay up, serve a
// well-behaved client afterwards, and end every connection it closes with a documented code.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { closeCodeInfo, encodePacket, Op } from '@imcluster/protocol';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestClient } from '../helpers/client.ts';
import { startStandalone, tempDataDir, type StandaloneHandle } from '../helpers/standalone.ts';
import { registerUser } from '../helpers/users.ts';

const SEED = 0x1d_2026;
const CONNECTIONS = 200; // per transport
const PARALLEL = 16;
const WAIT_MS = 300; // after its last packet, how long a connection is watched for a close

// Besides the comet's own codes: the WebSocket library closes a message over the maximum payload
// with 1009 (docs/operations.md, IM_COMET_MAX_BODY).
const DOCUMENTED = new Set([...Object.keys(closeCodeInfo).map(Number), 1009]);

const cleanup = fileCleanup();
let node: StandaloneHandle;
let token: string;

before(async () => {
  node = await startStandalone(cleanup, tempDataDir(cleanup));
  token = (await registerUser(`http://${node.http}`)).token;
});

/** mulberry32: a small seeded generator, so every run sends the same bytes. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = ReturnType<typeof generator>;
const int = (random: Random, n: number) => Math.floor(random() * n);
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)]!;

/** Well-formed packets a client may send; the fuzzer starts from these. */
function validPackets(): Buffer[] {
  const json = (op: number, body: object) => encodePacket({ op, seq: 7, body: JSON.stringify(body) });
  return [
    json(Op.Auth, { mid: 0, room_id: 'live://1000', accepts: [1000] }),
    json(Op.Auth, { uid: 0, roomid: 1000, protover: 2 }),
    encodePacket({ op: Op.Heartbeat, seq: 1 }),
    encodePacket({ op: Op.Sub, seq: 2, body: '1000,1001' }),
    encodePacket({ op: Op.Unsub, seq: 3, body: '1000' }),
    encodePacket({ op: Op.ChangeRoom, seq: 4, body: 'live://1001' }),
    json(Op.ChatSync, { conv: 'u:1:2', after: 0, limit: 10 }),
    json(Op.SendMsg, { client_msg_id: 'f1', to: { type: 'user', id: 1 }, payload: 'hi' }),
  ];
}

/** One mutation of `packet`: bytes flipped, header fields rewritten, cut, extended, or pure noise. */
function mutate(random: Random, packet: Buffer): Buffer {
  const out = Buffer.from(packet);
  switch (int(random, 7)) {
    case 0:
      for (let i = 0; i < 1 + int(random, 4); i++) out[int(random, out.length)] = int(random, 256);
      return out;
    case 1:
      out.writeUInt32BE(pick(random, [0, 15, 16, out.length - 1, out.length + 1, 4112, 4113, 0xffffffff, int(random, 1 << 20)]), 0);
      return out;
    case 2:
      out.writeUInt16BE(pick(random, [0, 15, 17, 0xffff]), 4);
      return out;
    case 3:
      out.writeUInt32BE(pick(random, [0, 1, 3, 5, 6, 8, 9, 13, 15, 23, 99, 1000, 0xffffffff]), 8);
      return out;
    case 4:
      return out.subarray(0, int(random, out.length));
    case 5:
      return Buffer.concat([out, Buffer.from(Array.from({ length: 1 + int(random, 64) }, () => int(random, 256)))]);
    default:
      return Buffer.from(Array.from({ length: 1 + int(random, 96) }, () => int(random, 256)));
  }
}

/** A connection's packets: sometimes a valid auth first, so that the authenticated state is fuzzed too. */
function script(random: Random, valid: Buffer[]): Buffer[] {
  const packets: Buffer[] = [];
  if (random() < 0.5) packets.push(encodePacket({ op: Op.Auth, seq: 1, body: JSON.stringify(random() < 0.5 ? { token } : { room_id: 'live://1000' }) }));
  for (let i = 0; i < 1 + int(random, 5); i++) {
    const base = pick(random, valid);
    packets.push(random() < 0.3 ? base : mutate(random, base));
  }
  return packets;
}

interface Outcome {
  closed: boolean;
  code?: number;
}

async function fuzzOne(kind: 'tcp' | 'ws', packets: Buffer[]): Promise<Outcome> {
  const client = await TestClient.connect(kind, kind === 'tcp' ? node.tcp : node.ws);
  for (const packet of packets) client.sendRaw(packet);
  const closed = await Promise.race([client.closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), WAIT_MS))]);
  if (!closed) client.close();
  return { closed, code: client.closeCode };
}

async function fuzz(kind: 'tcp' | 'ws', seed: number): Promise<{ packets: number; outcomes: Outcome[] }> {
  const random = generator(seed);
  const valid = validPackets();
  const scripts = Array.from({ length: CONNECTIONS }, () => script(random, valid));
  const outcomes: Outcome[] = [];
  for (let i = 0; i < scripts.length; i += PARALLEL) outcomes.push(...(await Promise.all(scripts.slice(i, i + PARALLEL).map((s) => fuzzOne(kind, s)))));
  return { packets: scripts.reduce((n, s) => n + s.length, 0), outcomes };
}

async function wellBehavedClientServed(kind: 'tcp' | 'ws'): Promise<void> {
  const client = await TestClient.connect(kind, kind === 'tcp' ? node.tcp : node.ws);
  try {
    assert.equal((await client.auth({ token, room_id: 'live://1000' })).code, 0);
    assert.equal(typeof (await client.heartbeat()), 'number');
  } finally {
    client.close();
  }
}

for (const [kind, seed] of [['tcp', SEED], ['ws', SEED + 1]] as const) {
  it(`${kind}: ${CONNECTIONS} connections of random and mutated packets; every close carries a documented code; the comet keeps serving`, async () => {
    const { packets, outcomes } = await fuzz(kind, seed);
    assert.ok(packets >= CONNECTIONS * 2, `${packets} packets sent`);
    const closed = outcomes.filter((o) => o.closed);
    assert.ok(closed.length > CONNECTIONS / 4, `most garbage is refused: ${closed.length} of ${CONNECTIONS} closed`);
    const codes = new Map<number | undefined, number>();
    for (const { code } of closed) codes.set(code, (codes.get(code) ?? 0) + 1);
    console.log(`${kind} fuzz: ${packets} packets on ${CONNECTIONS} connections; closed ${closed.length}`, Object.fromEntries(codes));
    const undocumented = closed.filter((o) => o.code === undefined || !DOCUMENTED.has(o.code));
    assert.deepEqual(undocumented, [], 'every closed connection got a documented close code');
    assert.ok(node.process.alive, 'the comet is still running');
    await wellBehavedClientServed(kind);
  });
}
