import { encodePacket } from './packet.ts';
import { Op } from './ops.ts';

/**
 * The op-6 packet sent just before the server closes. TCP has no close frame, so this body is the
 * only way a TCP client learns the close code; WebSocket clients get it and the close frame.
 */
export function encodeDisconnect(code: number, reason: string): Buffer {
  return encodePacket({ op: Op.DisconnectReply, body: JSON.stringify({ code, reason }) });
}
