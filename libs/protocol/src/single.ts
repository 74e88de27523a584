import { encodeBili } from './bili.ts';
import { encodePacket } from './packet.ts';
import type { Dialect, OutMessage } from './message.ts';

/**
 * One key/user push for one client. goim: one packet keeping the sender's op (ver 1, seq 0), so
 * the client's `accepts` filter applies to it. bili: as encodeBili with one message (op 5).
 */
export function encodeSingle(msg: OutMessage, dialect: Dialect, protover: number): Buffer {
  if (dialect === 'goim') return encodePacket({ op: msg.op, body: msg.body });
  return encodeBili([msg], protover);
}
