import { HEADER_LEN, writeHeader } from './header.ts';
import { packedLength, writePackets } from './concat.ts';
import { Op } from './ops.ts';
import type { OutMessage } from './message.ts';

/**
 * goim dialect: one op-9 packet (ver 1, seq 0) whose body is every message as a packet (ver 1,
 * the message's op, seq 0). One allocation, encoded once per batch and written to every socket.
 */
export function encodeRoomBatch(msgs: readonly OutMessage[]): Buffer {
  const packLen = HEADER_LEN + packedLength(msgs);
  const buf = Buffer.allocUnsafe(packLen);
  writeHeader(buf, 0, packLen, 1, Op.Raw, 0);
  writePackets(buf, HEADER_LEN, msgs, 1);
  return buf;
}
