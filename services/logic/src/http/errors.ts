import { errorCodeInfo, errorCodeOf, errorCodes, ImError, publicMessage, type ErrorCode } from '@imcluster/common';

/** The one translation of error codes to HTTP statuses (docs/operations.md, "HTTP API"). */
export const httpStatus: Readonly<Record<ErrorCode, number>> = {
  INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  DUPLICATE: 409,
  CONFLICT: 409,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  OUTCOME_UNKNOWN: 504,
  INTERNAL: 500,
};

/**
 * The error body: `code` (minus the status) and `message` as goim clients read them, `error` the
 * stable code, `retryable` whether the same request may succeed later.
 */
export interface HttpErrorBody {
  code: number;
  message: string;
  error: ErrorCode;
  retryable: boolean;
}

/** A failed request's status, body and headers (`Retry-After` in seconds when the error says when to retry). */
export function httpError(error: unknown): { status: number; body: HttpErrorBody; headers: Record<string, string> } {
  const coded = error instanceof ImError ? error : fromFramework(error);
  const code = errorCodeOf(coded);
  const status = httpStatus[code];
  const retryAfterMs = coded instanceof ImError ? coded.retryAfterMs : undefined;
  const headers: Record<string, string> = retryAfterMs === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) };
  return { status, headers, body: { code: -status, message: publicMessage(coded), error: code, retryable: errorCodeInfo[code].retryable } };
}

/** Fastify's own refusals (malformed JSON, body over the limit, ...) carry a 4xx `statusCode`: the code with that status, else INVALID. */
function fromFramework(error: unknown): unknown {
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return error;
  const code = errorCodes.find((c) => httpStatus[c] === status) ?? 'INVALID';
  return new ImError(code, (error as Error).message, { cause: error });
}

export const badRequest = (message: string) => new ImError('INVALID', message);
