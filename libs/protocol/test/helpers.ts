import type { Packet } from '../src/index.ts';

/**
 * Seeded PRNG (mulberry32) so a failing property run can be replayed: every test that uses it
 * prints its seed in assertion messages.
 */
export function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

export function randomBytes(rand: (n: number) => number, len: number): Buffer {
  const buf = Buffer.allocUnsafe(len);
  for (let i = 0; i < len; i++) buf[i] = rand(256);
  return buf;
}

/** A packet with random fields and a random body of at most `maxBody` bytes. */
export function randomPacket(rand: (n: number) => number, maxBody: number): Packet {
  return {
    ver: rand(0x10000),
    op: rand(0x1_0000_0000),
    seq: rand(0x1_0000_0000),
    body: randomBytes(rand, rand(maxBody + 1)),
  };
}

/** Plain objects so deepStrictEqual compares bytes, not Buffer views. */
export function plain(packets: readonly Packet[]): { ver: number; op: number; seq: number; body: string }[] {
  return packets.map((p) => ({ ver: p.ver, op: p.op, seq: p.seq, body: p.body.toString('hex') }));
}
