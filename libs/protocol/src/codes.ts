import { errorCodeOf, publicMessage, type ErrorCode } from '@imcluster/common';

/**
 * Close codes sent by the server, in a WebSocket close frame and in the op-6 body (TCP has no close
 * frame). The range tells a client what to do without knowing each code:
 * 3000-3499 reconnect (with backoff), 3500-3999 terminal: reconnecting unchanged fails again.
 */
export const CloseCode = {
  SERVER_SHUTDOWN: 3001,
  SLOW_CONSUMER: 3002,
  HEARTBEAT_TIMEOUT: 3003,
  LOGIC_UNAVAILABLE: 3004,
  RATE_LIMITED: 3005,
  BAD_PACKET: 3501,
  PACKET_TOO_LARGE: 3502,
  AUTH_REQUIRED: 3503,
  AUTH_FAILED: 3504,
  AUTH_TIMEOUT: 3505,
  DUPLICATE_AUTH: 3506,
  UNKNOWN_OP: 3507,
  FORBIDDEN: 3508,
  TOKEN_EXPIRED: 3509,
  TOKEN_REVOKED: 3510,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export interface CloseCodeInfo {
  name: keyof typeof CloseCode;
  reconnect: boolean;
  description: string;
}

/** The single description of every code; docs/protocol.md and the tests are checked against it. */
export const closeCodeInfo: Readonly<Record<CloseCode, CloseCodeInfo>> = {
  3001: { name: 'SERVER_SHUTDOWN', reconnect: true, description: 'The comet is draining; reconnect (the load balancer picks another comet).' },
  3002: { name: 'SLOW_CONSUMER', reconnect: true, description: 'The client did not read what it was sent (pushes and replies) fast enough; reconnect and sync.' },
  3003: { name: 'HEARTBEAT_TIMEOUT', reconnect: true, description: 'Nothing arrived within the heartbeat timeout.' },
  3004: { name: 'LOGIC_UNAVAILABLE', reconnect: true, description: 'Logic, or the business backend behind a connect proxy, could not be reached or failed: auth (then closed) or a room change (op 13, stays open) was not done; retry later with backoff.' },
  3005: { name: 'RATE_LIMITED', reconnect: true, description: 'The connection sent more operations than its rate limit allows (IM_COMET_OPS_PER_SEC, IM_COMET_OPS_BURST); reconnect with backoff and send less.' },
  3501: { name: 'BAD_PACKET', reconnect: false, description: 'Wrong headerLen, packLen < 16, garbage bytes, a truncated or text WebSocket message.' },
  3502: { name: 'PACKET_TOO_LARGE', reconnect: false, description: 'A body over the limit, a WebSocket message over the maximum payload, or an accept filter (ops 14/16) over its limits.' },
  3503: { name: 'AUTH_REQUIRED', reconnect: false, description: 'The first packet was not op 7 (auth).' },
  3504: { name: 'AUTH_FAILED', reconnect: false, description: 'Invalid or expired token, malformed auth JSON, or anonymous access not allowed.' },
  3505: { name: 'AUTH_TIMEOUT', reconnect: false, description: 'No auth packet within the handshake timeout.' },
  3506: { name: 'DUPLICATE_AUTH', reconnect: false, description: 'A second op 7 on an authenticated connection.' },
  3507: { name: 'UNKNOWN_OP', reconnect: false, description: 'The client sent an op the server does not accept from clients.' },
  3508: { name: 'FORBIDDEN', reconnect: false, description: 'A refused request: in an op-13 reply, a room change the connection may not make (it stays open). Refused chat ops are answered with chat code 4003 instead.' },
  3509: { name: 'TOKEN_EXPIRED', reconnect: false, description: 'The token the connection authenticated with expired; log in again, then reconnect with the new token.' },
  3510: { name: 'TOKEN_REVOKED', reconnect: false, description: "The user's tokens were revoked (logout or password change); the old token is refused from now on." },
};

/** True for the 3000-3499 range: the client should reconnect, with backoff. */
export function isReconnectCode(code: number): boolean {
  return code >= 3000 && code < 3500;
}

/**
 * Reply codes of chat operations (`code` in the bodies of ops 5, 23, 27 and 32), in the
 * application range 4000-4999: the connection stays open; the client fixes the request or
 * retries as each code says. Success is 0.
 */
export const ChatCode = {
  INVALID: 4001,
  FORBIDDEN: 4003,
  NOT_FOUND: 4004,
  CONFLICT: 4009,
  TOO_LARGE: 4013,
  DUPLICATE: 4022,
  UNAVAILABLE: 4503,
  OUTCOME_UNKNOWN: 4504,
} as const;

export type ChatCode = (typeof ChatCode)[keyof typeof ChatCode];

export interface ChatCodeInfo {
  name: keyof typeof ChatCode;
  /** The same request may succeed later. */
  retry: boolean;
  description: string;
}

/** The single description of every chat code; docs/protocol.md and the tests are checked against it. */
export const chatCodeInfo: Readonly<Record<ChatCode, ChatCodeInfo>> = {
  4001: { name: 'INVALID', retry: false, description: 'Invalid body: not JSON, a missing or bad field, or sending to yourself.' },
  4003: { name: 'FORBIDDEN', retry: false, description: 'Anonymous viewer, not a member, blocked by the receiver, or friends-only direct messages.' },
  4004: { name: 'NOT_FOUND', retry: false, description: 'No such target user or group.' },
  4009: { name: 'CONFLICT', retry: false, description: 'Recall refused: not the sender, already recalled, no such message, or past the window.' },
  4013: { name: 'TOO_LARGE', retry: false, description: 'Payload over the limit.' },
  4022: { name: 'DUPLICATE', retry: false, description: 'The client_msg_id already names another message (other target or body); nothing stored: send with a new id.' },
  4503: { name: 'UNAVAILABLE', retry: true, description: 'Not done (storage or logic unavailable); retry, a send with the same client_msg_id.' },
  4504: { name: 'OUTCOME_UNKNOWN', retry: true, description: 'Logic did not answer in time, or stored the message but could not hand it to the queue: retry with the same client_msg_id.' },
};

/**
 * The one translation of error codes to what a socket client reads: `chat` is the code of a chat
 * reply; `close` the close code of a refused auth (op 8 then op 6) or of an ended connection, and
 * the code of an op-13 reply. Unexpected failures are answered like an outage: retry later.
 */
export const socketCodes: Readonly<Record<ErrorCode, { chat: ChatCode; close: CloseCode }>> = {
  INVALID: { chat: ChatCode.INVALID, close: CloseCode.BAD_PACKET },
  UNAUTHORIZED: { chat: ChatCode.FORBIDDEN, close: CloseCode.AUTH_FAILED },
  FORBIDDEN: { chat: ChatCode.FORBIDDEN, close: CloseCode.FORBIDDEN },
  NOT_FOUND: { chat: ChatCode.NOT_FOUND, close: CloseCode.AUTH_FAILED },
  DUPLICATE: { chat: ChatCode.DUPLICATE, close: CloseCode.FORBIDDEN },
  CONFLICT: { chat: ChatCode.CONFLICT, close: CloseCode.FORBIDDEN },
  TOO_LARGE: { chat: ChatCode.TOO_LARGE, close: CloseCode.PACKET_TOO_LARGE },
  RATE_LIMITED: { chat: ChatCode.UNAVAILABLE, close: CloseCode.RATE_LIMITED },
  UNAVAILABLE: { chat: ChatCode.UNAVAILABLE, close: CloseCode.LOGIC_UNAVAILABLE },
  OUTCOME_UNKNOWN: { chat: ChatCode.OUTCOME_UNKNOWN, close: CloseCode.LOGIC_UNAVAILABLE },
  INTERNAL: { chat: ChatCode.UNAVAILABLE, close: CloseCode.LOGIC_UNAVAILABLE },
};

/** The `code` and `message` a socket client reads about a failure: in a chat reply, or in op 8 / op 13. */
export function socketFailure(error: unknown, where: 'chat' | 'close'): { code: ChatCode | CloseCode; message: string } {
  return { code: socketCodes[errorCodeOf(error)][where], message: publicMessage(error) };
}
