import { HEADER_LEN, writeHeader } from './header.ts';
import { Op } from './ops.ts';

const COUNT_LEN = 4;
const U32_MAX = 0xffff_ffff;

/**
 * Clamps to a u32: the count comes from eventually consistent counters that can be briefly
 * negative or fractional after aggregation, and a heartbeat reply must never throw.
 */
function toU32(count: number): number {
  if (!(count > 0)) return 0;
  return count >= U32_MAX ? U32_MAX : Math.floor(count);
}

/** The op-3 body: the room's online count as a 4-byte big-endian integer. */
export function heartbeatReplyBody(count: number): Buffer {
  const body = Buffer.allocUnsafe(COUNT_LEN);
  body.writeUInt32BE(toU32(count), 0);
  return body;
}

/** A whole op-3 packet echoing the heartbeat's `seq`, in one allocation. */
export function encodeHeartbeatReply(seq: number, count: number, ver = 1): Buffer {
  const buf = Buffer.allocUnsafe(HEADER_LEN + COUNT_LEN);
  writeHeader(buf, 0, HEADER_LEN + COUNT_LEN, ver, Op.HeartbeatReply, seq);
  buf.writeUInt32BE(toU32(count), HEADER_LEN);
  return buf;
}
