/**
 * Every way an operation fails on purpose, as one list of codes. Domain errors are ImErrors (or
 * subclasses) carrying one of them; each transport translates a code through its own single
 * table: HTTP statuses (logic's `http/errors.ts`), gRPC statuses (`@imcluster/proto`), socket
 * reply and close codes (`@imcluster/protocol`). Anything thrown without a code is a bug: INTERNAL.
 * docs/operations.md lists each code with its HTTP status; a test checks that they agree.
 */
export const errorCodeInfo = {
  INVALID: { retryable: false, description: 'The request is malformed or breaks a documented rule; fix it.' },
  UNAUTHORIZED: { retryable: false, description: 'Missing, wrong or expired credentials.' },
  FORBIDDEN: { retryable: false, description: 'The caller may not do this.' },
  NOT_FOUND: { retryable: false, description: 'No such user, group, message or route.' },
  DUPLICATE: { retryable: false, description: 'It exists already, such as a user name.' },
  CONFLICT: { retryable: false, description: 'The current state does not allow it.' },
  TOO_LARGE: { retryable: false, description: 'Over a size limit.' },
  RATE_LIMITED: { retryable: true, description: 'Too many attempts from this client address or for this account, or too many operations on this connection; retry after the time given.' },
  UNAVAILABLE: { retryable: true, description: 'A dependency (storage, queue, routing, logic) is unreachable or overloaded; retry later with backoff.' },
  OUTCOME_UNKNOWN: { retryable: true, description: 'No answer in time: it may or may not have been done; retry it unchanged (chat sends are idempotent by client_msg_id).' },
  INTERNAL: { retryable: false, description: 'Internal error: an unexpected failure, logged by the server.' },
} as const satisfies Record<string, { retryable: boolean; description: string }>;

export type ErrorCode = keyof typeof errorCodeInfo;

export const errorCodes = Object.keys(errorCodeInfo) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodeInfo, value);
}

/** An expected failure: a code that says what kind, a message for the caller, the underlying `cause`. */
export class ImError extends Error {
  readonly code: ErrorCode;
  /** When a retry may succeed, ms from now (RATE_LIMITED); HTTP answers it as `Retry-After`. */
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** True when the same request may succeed later unchanged. */
  get retryable(): boolean {
    return errorCodeInfo[this.code].retryable;
  }
}

/** The code of anything thrown: INTERNAL unless it is an ImError. */
export function errorCodeOf(error: unknown): ErrorCode {
  return error instanceof ImError ? error.code : 'INTERNAL';
}

/**
 * What a client is told about a failure: the error's own message, written for the caller, except
 * for outages and bugs, whose details (hosts, driver messages) belong in the log.
 */
export function publicMessage(error: unknown): string {
  const code = errorCodeOf(error);
  return code === 'UNAVAILABLE' || code === 'INTERNAL' ? errorCodeInfo[code].description : (error as Error).message;
}
