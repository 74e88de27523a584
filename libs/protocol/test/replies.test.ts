import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Op, decodePackets, encodeDisconnect, encodeHeartbeatReply, heartbeatReplyBody } from '../src/index.ts';

test('heartbeat reply body is the count as 4 big-endian bytes', () => {
  assert.equal(heartbeatReplyBody(0).toString('hex'), '00000000');
  assert.equal(heartbeatReplyBody(1234).toString('hex'), '000004d2');
  assert.equal(heartbeatReplyBody(0xffff_ffff).toString('hex'), 'ffffffff');
});

test('heartbeat reply body never throws on counters that drifted out of range', () => {
  assert.equal(heartbeatReplyBody(-5).readUInt32BE(0), 0);
  assert.equal(heartbeatReplyBody(Number.NaN).readUInt32BE(0), 0);
  assert.equal(heartbeatReplyBody(12.9).readUInt32BE(0), 12);
  assert.equal(heartbeatReplyBody(2 ** 40).readUInt32BE(0), 0xffff_ffff);
  assert.equal(heartbeatReplyBody(Infinity).readUInt32BE(0), 0xffff_ffff);
});

test('encodeHeartbeatReply echoes seq, uses op 3 and ver 1 by default', () => {
  const [p, ...rest] = decodePackets(encodeHeartbeatReply(42, 1_000_000), 4);
  assert.equal(rest.length, 0);
  assert.deepEqual({ op: p!.op, ver: p!.ver, seq: p!.seq, count: p!.body.readUInt32BE(0) }, { op: Op.HeartbeatReply, ver: 1, seq: 42, count: 1_000_000 });
  assert.equal(decodePackets(encodeHeartbeatReply(1, 1, 0), 4)[0]!.ver, 0);
  assert.equal(encodeHeartbeatReply(1, 7).toString('hex'), '00000014001000010000000300000001' + '00000007');
});

test('disconnect packet: op 6 with {"code","reason"} JSON, reason safely escaped', () => {
  const reason = 'token "expired"\n at 12:00 — 再见';
  const [p] = decodePackets(encodeDisconnect(3504, reason), 4096);
  assert.equal(p!.op, Op.DisconnectReply);
  assert.equal(p!.ver, 1);
  assert.deepEqual(JSON.parse(p!.body.toString('utf8')), { code: 3504, reason });
});
