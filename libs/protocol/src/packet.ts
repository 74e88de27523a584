import { HEADER_LEN, writeHeader } from './header.ts';

/** One decoded packet. `body` may be a view into the received bytes: copy it before keeping it long. */
export interface Packet {
  ver: number;
  op: number;
  seq: number;
  body: Buffer;
}

export interface PacketInit {
  op: number;
  seq?: number;
  ver?: number;
  body?: Buffer | string;
}

const EMPTY = Buffer.alloc(0);

/** Encodes one packet into a single new Buffer (a string body is written as UTF-8 in place). */
export function encodePacket({ op, seq = 0, ver = 1, body = EMPTY }: PacketInit): Buffer {
  const bodyLen = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  const buf = Buffer.allocUnsafe(HEADER_LEN + bodyLen);
  writeHeader(buf, 0, HEADER_LEN + bodyLen, ver, op, seq);
  if (typeof body === 'string') buf.write(body, HEADER_LEN, 'utf8');
  else body.copy(buf, HEADER_LEN);
  return buf;
}
