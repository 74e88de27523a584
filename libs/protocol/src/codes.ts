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
  BAD_PACKET: 3501,
  PACKET_TOO_LARGE: 3502,
  AUTH_REQUIRED: 3503,
  AUTH_FAILED: 3504,
  AUTH_TIMEOUT: 3505,
  DUPLICATE_AUTH: 3506,
  UNKNOWN_OP: 3507,
  FORBIDDEN: 3508,
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
  3002: { name: 'SLOW_CONSUMER', reconnect: true, description: 'The socket could not keep up with its pushes; reconnect and sync.' },
  3003: { name: 'HEARTBEAT_TIMEOUT', reconnect: true, description: 'Nothing arrived within the heartbeat timeout.' },
  3004: { name: 'LOGIC_UNAVAILABLE', reconnect: true, description: 'Authentication could not reach logic; retry later with backoff.' },
  3501: { name: 'BAD_PACKET', reconnect: false, description: 'Wrong headerLen, packLen < 16, garbage bytes, a truncated or text WebSocket message.' },
  3502: { name: 'PACKET_TOO_LARGE', reconnect: false, description: 'A body over the limit, or a WebSocket message over the maximum payload.' },
  3503: { name: 'AUTH_REQUIRED', reconnect: false, description: 'The first packet was not op 7 (auth).' },
  3504: { name: 'AUTH_FAILED', reconnect: false, description: 'Invalid or expired token, malformed auth JSON, or anonymous access not allowed.' },
  3505: { name: 'AUTH_TIMEOUT', reconnect: false, description: 'No auth packet within the handshake timeout.' },
  3506: { name: 'DUPLICATE_AUTH', reconnect: false, description: 'A second op 7 on an authenticated connection.' },
  3507: { name: 'UNKNOWN_OP', reconnect: false, description: 'The client sent an op the server does not accept from clients.' },
  3508: { name: 'FORBIDDEN', reconnect: false, description: 'An anonymous (receive-only) connection tried to send.' },
};

/** True for the 3000-3499 range: the client should reconnect, with backoff. */
export function isReconnectCode(code: number): boolean {
  return code >= 3000 && code < 3500;
}
