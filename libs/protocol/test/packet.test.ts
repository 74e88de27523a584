import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BUSINESS_OP_MIN,
  CloseCode,
  DEFAULT_MAX_BODY,
  HEADER_LEN,
  Op,
  ProtocolError,
  decodePackets,
  encodePacket,
  unpackBatch,
} from '../src/index.ts';
import { plain, randomBytes, randomPacket, rng } from './helpers.ts';

const MAX = 64;

/** A raw header with arbitrary (possibly invalid) fields. */
function header(packLen: number, headerLen = HEADER_LEN, ver = 1, op = 2, seq = 0): Buffer {
  const buf = Buffer.alloc(HEADER_LEN);
  buf.writeUInt32BE(packLen, 0);
  buf.writeUInt16BE(headerLen, 4);
  buf.writeUInt16BE(ver, 6);
  buf.writeUInt32BE(op, 8);
  buf.writeUInt32BE(seq, 12);
  return buf;
}

function rejects(buf: Buffer, reason: ProtocolError['reason'], max = MAX): void {
  assert.throws(
    () => decodePackets(buf, max),
    (err: unknown) => err instanceof ProtocolError && err.reason === reason,
    `expected ${reason} for ${buf.toString('hex')}`,
  );
}

test('header layout is big-endian packLen, headerLen, ver, op, seq', () => {
  const buf = encodePacket({ op: 0x01020304, seq: 0x0a0b0c0d, ver: 0x0506, body: Buffer.from('hi') });
  assert.equal(buf.toString('hex'), '00000012' + '0010' + '0506' + '01020304' + '0a0b0c0d' + '6869');
});

test('encodePacket defaults: ver 1, seq 0, empty body', () => {
  const [p] = decodePackets(encodePacket({ op: Op.Heartbeat }), MAX);
  assert.deepEqual(plain([p!]), [{ ver: 1, op: 2, seq: 0, body: '' }]);
});

test('round trip for every op, ver, seq and body size up to exactly the limit', () => {
  const ops = [...Object.values(Op), BUSINESS_OP_MIN, BUSINESS_OP_MIN + 1, 0xffff_ffff];
  const vers = [0, 1, 2, 3, 0xffff];
  const seqs = [0, 1, 0x7fff_ffff, 0xffff_ffff];
  const sizes = [0, 1, 15, 16, 17, MAX - 1, MAX];
  for (const op of ops) for (const ver of vers) for (const seq of seqs) for (const size of sizes) {
    const body = Buffer.alloc(size, (op + ver + size) & 0xff);
    const buf = encodePacket({ op, ver, seq, body });
    assert.equal(buf.length, HEADER_LEN + size);
    assert.deepEqual(plain(decodePackets(buf, MAX)), plain([{ op, ver, seq, body }]));
  }
});

test('a string body is written as UTF-8 and sized in bytes, not characters', () => {
  const body = '{"msg":"弹幕 ✓ 🎉"}';
  const [p] = decodePackets(encodePacket({ op: 1000, body }), MAX);
  assert.equal(p!.body.toString('utf8'), body);
  assert.equal(p!.body.length, Buffer.byteLength(body));
});

test('encodePacket refuses fields that do not fit the header', () => {
  assert.throws(() => encodePacket({ op: -1 }), RangeError);
  assert.throws(() => encodePacket({ op: 0x1_0000_0000 }), RangeError);
  assert.throws(() => encodePacket({ op: 1, ver: 0x10000 }), RangeError);
  assert.throws(() => encodePacket({ op: 1, seq: 0x1_0000_0000 }), RangeError);
});

test('several packets in one message decode in order, bodies are views into the message', () => {
  const rand = rng(1);
  const packets = Array.from({ length: 20 }, () => randomPacket(rand, MAX));
  const msg = Buffer.concat(packets.map((p) => encodePacket(p)));
  const out = decodePackets(msg, MAX);
  assert.deepEqual(plain(out), plain(packets));
  for (const p of out) assert.equal(p.body.buffer, msg.buffer, 'body must not be a copy');
});

test('DEFAULT_MAX_BODY is goim\'s 4096: exactly the limit passes, one more byte does not', () => {
  assert.equal(DEFAULT_MAX_BODY, 4096);
  assert.equal(decodePackets(encodePacket({ op: 4, body: Buffer.alloc(4096) }), DEFAULT_MAX_BODY)[0]!.body.length, 4096);
  rejects(encodePacket({ op: 4, body: Buffer.alloc(4097) }), 'TOO_LARGE', DEFAULT_MAX_BODY);
});

test('headerLen other than 16 is BAD_HEADER_LEN (close 3501)', () => {
  for (const headerLen of [0, 12, 15, 17, 20, 0xffff]) rejects(header(HEADER_LEN, headerLen), 'BAD_HEADER_LEN');
  try {
    decodePackets(header(HEADER_LEN, 18), MAX);
    assert.fail('no error');
  } catch (err) {
    assert.ok(err instanceof ProtocolError);
    assert.equal(err.closeCode, CloseCode.BAD_PACKET);
    assert.equal(err.name, 'ProtocolError');
  }
});

test('packLen shorter than the header is BAD_PACK_LEN', () => {
  for (const packLen of [0, 1, 15]) rejects(Buffer.concat([header(packLen), Buffer.alloc(16)]), 'BAD_PACK_LEN');
});

test('a body over the limit is TOO_LARGE (close 3502), even when the body is not there yet', () => {
  rejects(Buffer.concat([header(HEADER_LEN + MAX + 1), Buffer.alloc(MAX + 1)]), 'TOO_LARGE');
  rejects(header(0xffff_ffff), 'TOO_LARGE');
  assert.equal(new ProtocolError('TOO_LARGE', 'x').closeCode, CloseCode.PACKET_TOO_LARGE);
});

test('a packet longer than the message is TRUNCATED', () => {
  const whole = encodePacket({ op: 1000, body: Buffer.alloc(40, 1) });
  for (let len = 1; len < whole.length; len++) rejects(whole.subarray(0, len), 'TRUNCATED');
});

test('trailing bytes after whole packets are refused, not ignored', () => {
  const good = encodePacket({ op: 2, seq: 9 });
  for (let extra = 1; extra < HEADER_LEN; extra++) rejects(Buffer.concat([good, Buffer.alloc(extra)]), 'TRUNCATED');
  rejects(Buffer.concat([good, Buffer.from('GET / HTTP/1.1\r\n\r\n')]), 'BAD_HEADER_LEN');
});

test('an empty WebSocket message is refused; an empty batch is not', () => {
  rejects(Buffer.alloc(0), 'TRUNCATED');
  assert.deepEqual(unpackBatch(Buffer.alloc(0), MAX), []);
});

test('unpackBatch applies the same checks to the packets inside a batch', () => {
  const inner = Buffer.concat([encodePacket({ op: 1000, body: 'a' }), encodePacket({ op: 1001, body: 'bb' })]);
  assert.deepEqual(plain(unpackBatch(inner, MAX)).map((p) => p.op), [1000, 1001]);
  assert.throws(() => unpackBatch(inner.subarray(0, inner.length - 1), MAX), { reason: 'TRUNCATED' });
  assert.throws(() => unpackBatch(inner, 1), { reason: 'TOO_LARGE' });
});

test('property: random bytes only ever yield packets that re-encode to the input, or a ProtocolError', () => {
  const seed = 20240601;
  const rand = rng(seed);
  let decoded = 0;
  for (let i = 0; i < 20_000; i++) {
    // Half the inputs start from valid packets with one byte flipped, so deeper paths are reached.
    let buf: Buffer;
    if (rand(2) === 0) {
      buf = randomBytes(rand, rand(200));
    } else {
      buf = Buffer.concat(Array.from({ length: 1 + rand(3) }, () => encodePacket(randomPacket(rand, MAX))));
      if (rand(4) !== 0) buf[rand(buf.length)] = rand(256);
      if (rand(4) === 0) buf = buf.subarray(0, rand(buf.length + 1));
    }
    let packets;
    try {
      packets = decodePackets(buf, MAX);
    } catch (err) {
      assert.ok(err instanceof ProtocolError, `seed ${seed} input ${buf.toString('hex')}: ${String(err)}`);
      continue;
    }
    decoded++;
    assert.ok(packets.length > 0);
    assert.ok(Buffer.concat(packets.map((p) => encodePacket(p))).equals(buf), `seed ${seed} input ${buf.toString('hex')}`);
  }
  assert.ok(decoded > 1000, `only ${decoded} inputs decoded: the generator no longer exercises success paths`);
});
