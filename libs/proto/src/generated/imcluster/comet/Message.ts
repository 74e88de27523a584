// Original file: proto/comet.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One business message as a client receives it: the operation its sender chose and the body.
 */
export interface Message {
  'op'?: (number);
  'body'?: (Buffer | Uint8Array | string);
  /**
   * Milliseconds since the epoch when logic accepted the push; lets clients and benchmarks
   * measure end-to-end latency. 0 when unknown.
   */
  'ts'?: (number | string | Long);
}

/**
 * One business message as a client receives it: the operation its sender chose and the body.
 */
export interface Message__Output {
  'op': (number);
  'body': (Buffer);
  /**
   * Milliseconds since the epoch when logic accepted the push; lets clients and benchmarks
   * measure end-to-end latency. 0 when unknown.
   */
  'ts': (number);
}
