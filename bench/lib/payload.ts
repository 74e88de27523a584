/**
 * The body of a bench push: who sent it and when, in a fixed binary layout so that a client can
 * read the send time with two buffer reads instead of parsing text or JSON at millions per second.
 *
 * offset 0  f64 BE  send time, epoch ms with sub-ms precision (performance.timeOrigin + now())
 * offset 8  u32 BE  push sequence number (driver-wide)
 * offset 12 u32 BE  run tag, random per run: pushes of other tools or of an earlier run still
 *                   queued in Kafka are counted apart instead of skewing this run's figures
 * offset 16 ...     zero padding up to the requested body size
 */
export const PAYLOAD_MIN = 16;

/** Epoch milliseconds with sub-millisecond precision, comparable across processes of one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export function newRunTag(): number {
  return (Math.random() * 0xffffffff) >>> 0;
}

export function encodePayload(seq: number, runTag: number, size: number): Buffer {
  const buf = Buffer.alloc(Math.max(PAYLOAD_MIN, size));
  buf.writeDoubleBE(nowMs(), 0);
  buf.writeUInt32BE(seq >>> 0, 8);
  buf.writeUInt32BE(runTag, 12);
  return buf;
}

/** Send time of the payload at `offset` of `buf` with `len` bytes, or -1 if it is not this run's. */
export function sendTimeOf(buf: Buffer, offset: number, len: number, runTag: number): number {
  if (len < PAYLOAD_MIN || buf.readUInt32BE(offset + 12) !== runTag) return -1;
  return buf.readDoubleBE(offset);
}
