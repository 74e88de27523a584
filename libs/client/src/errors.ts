/**
 * Every error the SDK reports, by code. docs/client.md describes each one (a test checks that
 * every code here is documented there). `wireCode` carries the server's number when there is one:
 * a close code (3xxx) or a chat reply code (4xxx).
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'TRANSPORT_UNAVAILABLE',
  'DISCOVERY_FAILED',
  'AUTH_FAILED',
  'SERVER_REFUSED',
  'CLOSED',
  'DISCONNECTED',
  'TIMEOUT',
  'CHAT_UNAVAILABLE',
  'OUTBOX_FULL',
  'TOO_LARGE',
  'INVALID',
  'FORBIDDEN',
  'NOT_FOUND',
  'RECALL_REFUSED',
  'REFUSED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class ClientError extends Error {
  override readonly name = 'ClientError';

  readonly code: ErrorCode;
  readonly wireCode: number | undefined;

  constructor(code: ErrorCode, message: string, wireCode?: number) {
    super(message);
    this.code = code;
    this.wireCode = wireCode;
  }
}

/** Chat reply codes (docs/protocol.md, "Chat operations") that mean "do not retry". */
const CHAT_CODES: Record<number, ErrorCode> = { 4001: 'INVALID', 4003: 'FORBIDDEN', 4004: 'NOT_FOUND', 4009: 'RECALL_REFUSED', 4013: 'TOO_LARGE' };

/** The error for a chat reply with a non-zero code. */
export function chatError(reply: { code: number; message?: string }): ClientError {
  return new ClientError(CHAT_CODES[reply.code] ?? 'REFUSED', reply.message ?? `refused with code ${reply.code}`, reply.code);
}
