// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface RefreshTokenReply {
  /**
   * When the new token expires, ms since the epoch (0 = never); the comet closes the connection then (3509).
   */
  'tokenExpiresAt'?: (number | string | Long);
}

export interface RefreshTokenReply__Output {
  /**
   * When the new token expires, ms since the epoch (0 = never); the comet closes the connection then (3509).
   */
  'tokenExpiresAt': (number);
}
