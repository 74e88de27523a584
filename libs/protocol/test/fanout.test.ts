import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliDecompressSync, inflateSync } from 'node:zlib';
import {
  Op,
  decodePackets,
  encodeBili,
  encodeRoomBatch,
  encodeSingle,
  unpackBatch,
} from '../src/index.ts';
import type { OutMessage } from '../src/index.ts';
import { plain } from './helpers.ts';

const MAX = 4096;

function danmaku(n: number): OutMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    op: 1000 + (i % 3),
    body: Buffer.from(JSON.stringify({ cmd: 'DANMU_MSG', info: [i, `弹幕 ${i}`, [100 + i, `user${i}`]] })),
  }));
}

/** What a client must see after undoing the dialect: each message as (op, ver, body). */
function expected(msgs: readonly OutMessage[], op: number | undefined, ver: number) {
  return plain(msgs.map((m) => ({ op: op ?? m.op, ver, seq: 0, body: m.body })));
}

test('goim room batch: one op-9 packet whose body unpacks to the messages with their own ops', () => {
  for (const n of [0, 1, 2, 50]) {
    const msgs = danmaku(n);
    const frame = encodeRoomBatch(msgs);
    const [outer, ...rest] = decodePackets(frame, 1 << 20);
    assert.equal(rest.length, 0);
    assert.deepEqual({ op: outer!.op, ver: outer!.ver, seq: outer!.seq }, { op: Op.Raw, ver: 1, seq: 0 });
    assert.deepEqual(plain(unpackBatch(outer!.body, MAX)), expected(msgs, undefined, 1));
  }
});

test('bili protover 0 and 1: op-5 ver-0 packets back to back', () => {
  const msgs = danmaku(7);
  for (const protover of [0, 1]) {
    assert.deepEqual(plain(decodePackets(encodeBili(msgs, protover), MAX)), expected(msgs, Op.SendMsgReply, 0));
  }
});

test('bili protover 2: one op-5 ver-2 packet, zlib-wrapped (inflate, then split)', () => {
  const msgs = danmaku(40);
  const [outer, ...rest] = decodePackets(encodeBili(msgs, 2), MAX);
  assert.equal(rest.length, 0);
  assert.deepEqual({ op: outer!.op, ver: outer!.ver }, { op: Op.SendMsgReply, ver: 2 });
  assert.equal(outer!.body[0], 0x78, 'zlib (RFC 1950) header, not raw deflate or gzip');
  assert.deepEqual(plain(unpackBatch(inflateSync(outer!.body), MAX)), expected(msgs, Op.SendMsgReply, 0));
  assert.ok(outer!.body.length < encodeBili(msgs, 0).length / 2, 'repetitive JSON must actually compress');
});

test('bili protover 3: one op-5 ver-3 packet, brotli (decompress, then split)', () => {
  const msgs = danmaku(40);
  const [outer, ...rest] = decodePackets(encodeBili(msgs, 3), MAX);
  assert.equal(rest.length, 0);
  assert.deepEqual({ op: outer!.op, ver: outer!.ver }, { op: Op.SendMsgReply, ver: 3 });
  assert.deepEqual(plain(unpackBatch(brotliDecompressSync(outer!.body), MAX)), expected(msgs, Op.SendMsgReply, 0));
  assert.ok(outer!.body.length < encodeBili(msgs, 0).length / 2);
});

test('an unknown protover is a programming error', () => {
  assert.throws(() => encodeBili(danmaku(1), 4), RangeError);
  assert.throws(() => encodeBili(danmaku(1), -1), RangeError);
});

test('encodeSingle: goim keeps the sender op in one ver-1 packet; bili follows protover', () => {
  const [msg] = danmaku(1) as [OutMessage];
  assert.deepEqual(plain(decodePackets(encodeSingle(msg, 'goim', 0), MAX)), expected([msg], undefined, 1));
  assert.deepEqual(plain(decodePackets(encodeSingle(msg, 'bili', 0), MAX)), expected([msg], Op.SendMsgReply, 0));
  const [z] = decodePackets(encodeSingle(msg, 'bili', 2), MAX);
  assert.equal(z!.ver, 2);
  assert.deepEqual(plain(unpackBatch(inflateSync(z!.body), MAX)), expected([msg], Op.SendMsgReply, 0));
  const [b] = decodePackets(encodeSingle(msg, 'bili', 3), MAX);
  assert.equal(b!.ver, 3);
  assert.deepEqual(plain(unpackBatch(brotliDecompressSync(b!.body), MAX)), expected([msg], Op.SendMsgReply, 0));
});

test('encoders do not keep references to the message bodies', () => {
  const msgs = danmaku(3);
  const goim = Buffer.from(encodeRoomBatch(msgs));
  const bili = Buffer.from(encodeBili(msgs, 0));
  const goimOut = encodeRoomBatch(msgs);
  const biliOut = encodeBili(msgs, 0);
  for (const m of msgs) m.body.fill(0);
  assert.ok(goimOut.equals(goim));
  assert.ok(biliOut.equals(bili));
});
