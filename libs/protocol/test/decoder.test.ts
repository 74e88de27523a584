import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEADER_LEN, PacketDecoder, ProtocolError, decodePackets, encodePacket } from '../src/index.ts';
import type { Packet } from '../src/index.ts';
import { plain, randomBytes, randomPacket, rng } from './helpers.ts';

const MAX = 64;

/** Feeds `stream` cut at `cuts` (sorted offsets) and returns every packet the decoder yields. */
function feed(decoder: PacketDecoder, stream: Buffer, cuts: readonly number[]): Packet[] {
  const out: Packet[] = [];
  let from = 0;
  for (const cut of [...cuts, stream.length]) {
    out.push(...decoder.push(stream.subarray(from, cut)));
    from = cut;
  }
  return out;
}

function streamOf(packets: readonly Packet[]): Buffer {
  return Buffer.concat(packets.map((p) => encodePacket(p)));
}

/** Small packets covering empty bodies, bodies shorter and longer than a header, and the limit. */
const small: Packet[] = [0, 1, 5, 16, 17, MAX, 0].map((size, i) => ({
  ver: i,
  op: 1000 + i,
  seq: 0xffff_fff0 + i,
  body: Buffer.alloc(size, 0x41 + i),
}));

test('coalesced packets in one chunk all come out, in order', () => {
  const decoder = new PacketDecoder(MAX);
  assert.deepEqual(plain(decoder.push(streamOf(small))), plain(small));
  assert.equal(decoder.pending, 0);
});

test('a stream split at every single point yields exactly the packets sent', () => {
  const stream = streamOf(small);
  for (let cut = 0; cut <= stream.length; cut++) {
    const decoder = new PacketDecoder(MAX);
    assert.deepEqual(plain(feed(decoder, stream, [cut])), plain(small), `cut at ${cut}`);
    assert.equal(decoder.pending, 0);
  }
});

test('a stream split at every pair of points yields exactly the packets sent', () => {
  const packets = small.slice(0, 5);
  const stream = streamOf(packets);
  for (let a = 0; a <= stream.length; a++) {
    for (let b = a; b <= stream.length; b++) {
      assert.deepEqual(plain(feed(new PacketDecoder(MAX), stream, [a, b])), plain(packets), `cuts at ${a}, ${b}`);
    }
  }
});

test('a stream fed one byte at a time yields each packet exactly when its last byte arrives', () => {
  const stream = streamOf(small);
  const decoder = new PacketDecoder(MAX);
  const ends = new Set<number>();
  let end = 0;
  for (const p of small) ends.add((end += HEADER_LEN + p.body.length));
  const out: Packet[] = [];
  for (let i = 0; i < stream.length; i++) {
    const got = decoder.push(stream.subarray(i, i + 1));
    assert.equal(got.length, ends.has(i + 1) ? 1 : 0, `byte ${i}`);
    out.push(...got);
  }
  assert.deepEqual(plain(out), plain(small));
});

test('random split points over a long stream of random packets', () => {
  const seed = 77;
  const rand = rng(seed);
  for (let round = 0; round < 30; round++) {
    const packets = Array.from({ length: 300 }, () => randomPacket(rand, MAX));
    const stream = streamOf(packets);
    const cuts = Array.from({ length: rand(400) }, () => rand(stream.length + 1)).sort((x, y) => x - y);
    const decoder = new PacketDecoder(MAX);
    assert.deepEqual(plain(feed(decoder, stream, cuts)), plain(packets), `seed ${seed} round ${round}`);
    assert.equal(decoder.pending, 0);
  }
});

test('empty chunks change nothing', () => {
  const decoder = new PacketDecoder(MAX);
  const stream = streamOf(small.slice(0, 3));
  assert.deepEqual(decoder.push(Buffer.alloc(0)), []);
  const out = [...decoder.push(stream.subarray(0, 20)), ...decoder.push(Buffer.alloc(0)), ...decoder.push(stream.subarray(20))];
  assert.deepEqual(plain(out), plain(small.slice(0, 3)));
});

test('pending counts the bytes held for the packet in progress', () => {
  const decoder = new PacketDecoder(MAX);
  const pkt = encodePacket({ op: 1000, body: Buffer.alloc(30) });
  decoder.push(pkt.subarray(0, 10));
  assert.equal(decoder.pending, 10);
  decoder.push(pkt.subarray(10, 20));
  assert.equal(decoder.pending, 20);
  assert.equal(decoder.push(pkt.subarray(20)).length, 1);
  assert.equal(decoder.pending, 0);
});

test('a body inside one chunk is a view of that chunk, not a copy', () => {
  const chunk = streamOf(small);
  for (const p of new PacketDecoder(MAX).push(chunk)) assert.equal(p.body.buffer, chunk.buffer);
});

test('an oversize packLen is refused as soon as the header is complete, before any body byte', () => {
  const header = Buffer.alloc(HEADER_LEN);
  header.writeUInt32BE(0xffff_ffff, 0);
  header.writeUInt16BE(HEADER_LEN, 4);
  const decoder = new PacketDecoder(MAX);
  assert.deepEqual(decoder.push(header.subarray(0, 15)), []);
  assert.throws(() => decoder.push(header.subarray(15)), (err: unknown) => err instanceof ProtocolError && err.code === 'TOO_LARGE' && err.closeCode === 3502);
});

test('header errors are detected in the stream like in a message', () => {
  const cases: [Buffer, ProtocolError['reason']][] = [
    [Buffer.from('00000010000f0001000000020000000000', 'hex'), 'BAD_HEADER_LEN'],
    [Buffer.from('0000000f001000010000000200000000', 'hex'), 'BAD_PACK_LEN'],
    [Buffer.from('00000051001000010000000200000000', 'hex'), 'TOO_LARGE'],
  ];
  for (const [bytes, reason] of cases) {
    assert.throws(() => new PacketDecoder(MAX).push(bytes), { reason });
  }
});

test('after an error every later push throws the same error, even with valid bytes', () => {
  const decoder = new PacketDecoder(MAX);
  const bad = Buffer.concat([encodePacket({ op: 2 }), Buffer.from('garbage garbage!')]);
  let first: unknown;
  assert.throws(() => decoder.push(bad), (err: unknown) => ((first = err), err instanceof ProtocolError));
  assert.throws(() => decoder.push(encodePacket({ op: 2 })), (err: unknown) => err === first);
});

test('a big packet arriving in many small chunks is assembled in linear time', () => {
  const max = 8 * 1024 * 1024;
  const body = randomBytes(rng(5), 1024).toString('hex').repeat(4096); // 8 MiB
  const stream = encodePacket({ op: 1000, body });
  const decoder = new PacketDecoder(max);
  const out: Packet[] = [];
  // 16-byte chunks: 524k pushes, ~0.2 s when linear. Re-concatenating on every push would copy
  // ~2 TB; the deadline turns that into a failure instead of a hang (a sync loop ignores timeouts).
  const deadline = Date.now() + 5_000;
  for (let i = 0; i < stream.length; i += 16) {
    out.push(...decoder.push(stream.subarray(i, i + 16)));
    if ((i & 0xffff) === 0) assert.ok(Date.now() < deadline, `only ${i} of ${stream.length} bytes after 5 s: not linear`);
  }
  assert.equal(out.length, 1);
  assert.equal(out[0]!.body.toString('latin1'), body);
});

test('property: the stream decoder agrees with the message decoder on random bytes', () => {
  const seed = 4242;
  const rand = rng(seed);
  for (let i = 0; i < 5_000; i++) {
    let buf: Buffer = Buffer.concat(Array.from({ length: 1 + rand(4) }, () => encodePacket(randomPacket(rand, MAX))));
    if (rand(2) === 0) buf[rand(buf.length)] = rand(256);
    if (rand(3) === 0) buf = buf.subarray(0, rand(buf.length + 1));
    if (rand(5) === 0) buf = randomBytes(rand, rand(100));
    const cuts = Array.from({ length: rand(6) }, () => rand(buf.length + 1)).sort((x, y) => x - y);
    const where = `seed ${seed} input ${buf.toString('hex')} cuts ${cuts.join(',')}`;

    let expected: Packet[] | undefined;
    let expectedError: ProtocolError | undefined;
    try {
      expected = decodePackets(buf, MAX);
    } catch (err) {
      assert.ok(err instanceof ProtocolError, where);
      expectedError = err;
    }
    const decoder = new PacketDecoder(MAX);
    let got: Packet[] | undefined;
    let gotError: unknown;
    try {
      got = feed(decoder, buf, cuts);
    } catch (err) {
      gotError = err;
    }
    if (expected) {
      assert.deepEqual(plain(got ?? []), plain(expected), where);
      assert.equal(decoder.pending, 0, where);
    } else if (expectedError!.reason === 'TRUNCATED') {
      // A stream cannot know more bytes will not come: it waits instead of failing.
      assert.equal(gotError, undefined, where);
      assert.ok(decoder.pending > 0 || buf.length === 0, where);
    } else {
      assert.ok(gotError instanceof ProtocolError && gotError.reason === expectedError!.reason, where);
    }
  }
});
