// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A chat operation a client sent on its connection (ops 4, 21, 22, 24, 26, 31), forwarded as is.
 */
export interface ChatReq {
  'server'?: (string);
  /**
   * the connection's user, from its token: the sender is never taken from the body
   */
  'mid'?: (number | string | Long);
  'key'?: (string);
  'op'?: (number);
  'body'?: (Buffer | Uint8Array | string);
}

/**
 * A chat operation a client sent on its connection (ops 4, 21, 22, 24, 26, 31), forwarded as is.
 */
export interface ChatReq__Output {
  'server': (string);
  /**
   * the connection's user, from its token: the sender is never taken from the body
   */
  'mid': (number);
  'key': (string);
  'op': (number);
  'body': (Buffer);
}
