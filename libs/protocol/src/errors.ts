import { ImError } from '@imcluster/common';
import { socketCodes, type CloseCode } from './codes.ts';

/** What exactly is wrong with the bytes; TOO_LARGE is a TOO_LARGE error, the others INVALID. */
export type ProtocolErrorReason = 'BAD_HEADER_LEN' | 'BAD_PACK_LEN' | 'TOO_LARGE' | 'TRUNCATED';

/**
 * Malformed bytes from a peer. Always fatal for the connection: framing is lost, so the server
 * sends op 6 and closes with `closeCode`.
 */
export class ProtocolError extends ImError {
  readonly reason: ProtocolErrorReason;

  constructor(reason: ProtocolErrorReason, message: string) {
    super(reason === 'TOO_LARGE' ? 'TOO_LARGE' : 'INVALID', message);
    this.reason = reason;
  }

  get closeCode(): CloseCode {
    return socketCodes[this.code].close;
  }
}
