import assert from 'node:assert/strict';
import { it } from 'node:test';
import { encodePacket as referenceEncode, encodeRoomBatch, PacketDecoder } from '@imcluster/protocol';
import { encodePacket, FramingError, PacketReader, splitPackets, type Packet } from '../src/codec.ts';

const plain = (p: Packet) => ({ ver: p.ver, op: p.op, seq: p.seq, body: Buffer.from(p.body).toString() });

it('encodes packets byte for byte like the server\u2019s reference codec', () => {
  for (const [op, seq, body] of [[7, 1, '{"mid":0}'], [2, 4294967295, ''], [4, 9, 'h\u00e9llo \u{1f600}']] as const) {
    assert.deepEqual(Buffer.from(encodePacket(op, seq, body)), referenceEncode({ op, seq, body }));
  }
  const decoded = new PacketDecoder(4096).push(Buffer.from(encodePacket(20, 3, '{"seq":1}')));
  assert.deepEqual(decoded.map((p) => ({ ...p, body: p.body.toString() })), [{ ver: 1, op: 20, seq: 3, body: '{"seq":1}' }]);
});

it('reads a stream split at every byte boundary, and coalesced packets', () => {
  const packets = [referenceEncode({ op: 8, seq: 1, body: '{"code":0}' }), referenceEncode({ op: 3, seq: 2, body: Buffer.from([0, 0, 4, 210]) }), referenceEncode({ op: 1000, body: 'x'.repeat(70_000) })];
  const stream = Buffer.concat(packets);
  const expected = [
    { ver: 1, op: 8, seq: 1, body: '{"code":0}' },
    { ver: 1, op: 3, seq: 2, body: Buffer.from([0, 0, 4, 210]).toString() },
    { ver: 1, op: 1000, seq: 0, body: 'x'.repeat(70_000) },
  ];
  for (const cut of [1, 7, 16, 17, 30, 1000, stream.length]) {
    const reader = new PacketReader();
    const got: Packet[] = [];
    for (let at = 0; at < stream.length; at += cut) got.push(...reader.push(new Uint8Array(stream.subarray(at, at + cut))));
    assert.deepEqual(got.map(plain), expected, `chunks of ${cut}`);
  }
});

it('splits an op-9 room batch as the server builds it', () => {
  const batch = encodeRoomBatch([{ op: 1000, body: Buffer.from('a') }, { op: 1001, body: Buffer.from('bb') }]);
  const [outer] = new PacketReader().push(batch);
  assert.equal(outer!.op, 9);
  assert.deepEqual(splitPackets(outer!.body).map(plain), [
    { ver: 1, op: 1000, seq: 0, body: 'a' },
    { ver: 1, op: 1001, seq: 0, body: 'bb' },
  ]);
});

it('refuses a bad header and a batch that ends inside a packet', () => {
  const bad = Buffer.from(encodePacket(5, 1, 'x'));
  bad.writeUInt16BE(12, 4);
  assert.throws(() => new PacketReader().push(bad), FramingError);
  assert.throws(() => splitPackets(encodePacket(5, 1, 'xyz').subarray(0, 18)), FramingError);
});
