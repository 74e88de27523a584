import { HEADER_LEN, writeHeader } from './header.ts';
import type { OutMessage } from './message.ts';

/** Bytes needed to encode `msgs` as back-to-back packets. */
export function packedLength(msgs: readonly OutMessage[]): number {
  let len = 0;
  for (const msg of msgs) len += HEADER_LEN + msg.body.length;
  return len;
}

/**
 * Writes `msgs` as back-to-back packets (seq 0) into `buf` from `offset`. `op` overrides each
 * message's op when given (Bilibili clients only understand op 5).
 */
export function writePackets(buf: Buffer, offset: number, msgs: readonly OutMessage[], ver: number, op?: number): number {
  for (const msg of msgs) {
    const packLen = HEADER_LEN + msg.body.length;
    writeHeader(buf, offset, packLen, ver, op ?? msg.op, 0);
    msg.body.copy(buf, offset + HEADER_LEN);
    offset += packLen;
  }
  return offset;
}
