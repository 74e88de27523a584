import { CloseCode } from './codes.ts';

export type ProtocolErrorCode = 'BAD_HEADER_LEN' | 'BAD_PACK_LEN' | 'TOO_LARGE' | 'TRUNCATED';

const closeCodeOf: Readonly<Record<ProtocolErrorCode, CloseCode>> = {
  BAD_HEADER_LEN: CloseCode.BAD_PACKET,
  BAD_PACK_LEN: CloseCode.BAD_PACKET,
  TRUNCATED: CloseCode.BAD_PACKET,
  TOO_LARGE: CloseCode.PACKET_TOO_LARGE,
};

/**
 * Malformed bytes from a peer. Always fatal for the connection: framing is lost, so the server
 * sends op 6 and closes with `closeCode`.
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ProtocolErrorCode;
  readonly closeCode: CloseCode;

  constructor(code: ProtocolErrorCode, message: string) {
    super(message);
    this.code = code;
    this.closeCode = closeCodeOf[code];
  }
}
