import * as grpc from '@grpc/grpc-js';
import { errorCodeOf, ImError, isErrorCode, type ErrorCode } from '@imcluster/common';

/** The one translation of error codes to gRPC statuses, for tools that read only the status. */
export const grpcStatus: Readonly<Record<ErrorCode, grpc.status>> = {
  INVALID: grpc.status.INVALID_ARGUMENT,
  UNAUTHORIZED: grpc.status.UNAUTHENTICATED,
  FORBIDDEN: grpc.status.PERMISSION_DENIED,
  NOT_FOUND: grpc.status.NOT_FOUND,
  DUPLICATE: grpc.status.ALREADY_EXISTS,
  CONFLICT: grpc.status.FAILED_PRECONDITION,
  TOO_LARGE: grpc.status.RESOURCE_EXHAUSTED,
  RATE_LIMITED: grpc.status.RESOURCE_EXHAUSTED,
  UNAVAILABLE: grpc.status.UNAVAILABLE,
  OUTCOME_UNKNOWN: grpc.status.DEADLINE_EXCEEDED,
  INTERNAL: grpc.status.INTERNAL,
};

/** Trailer that carries the error code itself, so the caller gets back exactly what the handler threw. */
const CODE_KEY = 'im-error-code';

// The call did not reach a handler, or got no answer from it in time: another peer may succeed.
const transportFailures = new Set([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.CANCELLED]);

/**
 * The status a handler answers a failure with: the code's gRPC status, the message, and the code
 * in the trailers. An uncoded error is a bug: INTERNAL, without its message (the handler logs it).
 */
export function toGrpcStatus(error: unknown): { code: grpc.status; details: string; metadata: grpc.Metadata } {
  const code = errorCodeOf(error);
  const metadata = new grpc.Metadata();
  metadata.set(CODE_KEY, code);
  return { code: grpcStatus[code], details: code === 'INTERNAL' ? 'internal error' : (error as Error).message, metadata };
}

/** The code a peer's handler answered with (see toGrpcStatus); undefined when no handler answered. */
export function grpcErrorCode(error: unknown): ErrorCode | undefined {
  const sent = (error as Partial<grpc.ServiceError> | undefined)?.metadata?.get(CODE_KEY)[0];
  return isErrorCode(sent) ? sent : undefined;
}

/**
 * A failed call as an ImError, with the gRPC error as its cause: the handler's code and message
 * when it sent one; else UNAVAILABLE when the peer was not reached, did not answer in time or
 * refused this process's cluster secret (UNAUTHENTICATED without a code: a misconfiguration of
 * the two processes, not of the caller's client, which another peer may not share), INTERNAL for
 * the rest (a peer that is not ours, an unimplemented method).
 */
export function fromGrpcError(error: unknown): ImError {
  if (error instanceof ImError) return error;
  const status = (error as Partial<grpc.ServiceError> | undefined)?.code;
  const unavailable = status !== undefined && (transportFailures.has(status) || status === grpc.status.UNAUTHENTICATED);
  const code = grpcErrorCode(error) ?? (unavailable ? 'UNAVAILABLE' : 'INTERNAL');
  const details = (error as Partial<grpc.ServiceError> | undefined)?.details;
  return new ImError(code, details || `gRPC call failed with status ${status ?? 'unknown'}`, { cause: error });
}

/**
 * The call failed before any byte of it reached the peer's process: its port refused the
 * connection, or no connection could be made. Such a call certainly had no effect.
 */
export function neverReached(error: unknown): boolean {
  const { code, details } = error as Partial<grpc.ServiceError>;
  return code === grpc.status.UNAVAILABLE && /ECONNREFUSED|No connection established/.test(details ?? '');
}
