import { ProtocolError } from './errors.ts';

/**
 * The 16-byte big-endian header (goim's layout):
 * packLen u32 (header + body) | headerLen u16 (16) | ver u16 | op u32 | seq u32.
 */
export const HEADER_LEN = 16;

/** goim's default body limit; callers pass their own limit to every decoder. */
export const DEFAULT_MAX_BODY = 4096;

/** Writes a header at `offset`; the Buffer write methods throw RangeError for out-of-range fields. */
export function writeHeader(buf: Buffer, offset: number, packLen: number, ver: number, op: number, seq: number): void {
  buf.writeUInt32BE(packLen, offset);
  buf.writeUInt16BE(HEADER_LEN, offset + 4);
  buf.writeUInt16BE(ver, offset + 6);
  buf.writeUInt32BE(op, offset + 8);
  buf.writeUInt32BE(seq, offset + 12);
}

/**
 * Validates the header at `offset` (16 bytes must be there) and returns its packLen. Checked before
 * any body byte is needed, so an oversize length is refused without buffering it.
 */
export function checkHeader(buf: Buffer, offset: number, maxBodySize: number): number {
  const headerLen = buf.readUInt16BE(offset + 4);
  if (headerLen !== HEADER_LEN) {
    throw new ProtocolError('BAD_HEADER_LEN', `headerLen ${headerLen}, expected ${HEADER_LEN}`);
  }
  const packLen = buf.readUInt32BE(offset);
  if (packLen < HEADER_LEN) {
    throw new ProtocolError('BAD_PACK_LEN', `packLen ${packLen} is shorter than the header`);
  }
  if (packLen - HEADER_LEN > maxBodySize) {
    throw new ProtocolError('TOO_LARGE', `body of ${packLen - HEADER_LEN} bytes exceeds the limit of ${maxBodySize}`);
  }
  return packLen;
}
