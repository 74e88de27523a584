import { HEADER_LEN, checkHeader } from './header.ts';
import { ProtocolError } from './errors.ts';
import type { Packet } from './packet.ts';

/** Splits bytes that must hold only whole packets; bodies are views into `buf`, never copies. */
function splitInto(buf: Buffer, maxBodySize: number, out: Packet[]): Packet[] {
  let offset = 0;
  while (offset < buf.length) {
    if (buf.length - offset < HEADER_LEN) {
      throw new ProtocolError('TRUNCATED', `${buf.length - offset} trailing bytes are not a whole header`);
    }
    const packLen = checkHeader(buf, offset, maxBodySize);
    const end = offset + packLen;
    if (end > buf.length) {
      throw new ProtocolError('TRUNCATED', `packet of ${packLen} bytes but only ${buf.length - offset} remain`);
    }
    out.push({
      ver: buf.readUInt16BE(offset + 6),
      op: buf.readUInt32BE(offset + 8),
      seq: buf.readUInt32BE(offset + 12),
      body: buf.subarray(offset + HEADER_LEN, end),
    });
    offset = end;
  }
  return out;
}

/**
 * Decodes one WebSocket message: one or more whole packets back to back. An empty message carries
 * no packet at all, which no client sends on purpose, so it is refused like a truncated one.
 */
export function decodePackets(buf: Buffer, maxBodySize: number): Packet[] {
  if (buf.length === 0) throw new ProtocolError('TRUNCATED', 'empty message');
  return splitInto(buf, maxBodySize, []);
}

/**
 * Splits the body of an op-9 (Raw) packet, or a decompressed ver 2/3 body, into its packets. An
 * empty batch is valid and yields none.
 */
export function unpackBatch(body: Buffer, maxBodySize: number): Packet[] {
  return splitInto(body, maxBodySize, []);
}
