// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

/**
 * In-band token refresh (client op 33): a fresh token for the connection's user.
 */
export interface RefreshTokenReq {
  'server'?: (string);
  /**
   * the connection's user
   */
  'mid'?: (number | string | Long);
  /**
   * the new token, ours or an identity provider's
   */
  'token'?: (string);
}

/**
 * In-band token refresh (client op 33): a fresh token for the connection's user.
 */
export interface RefreshTokenReq__Output {
  'server': (string);
  /**
   * the connection's user
   */
  'mid': (number);
  /**
   * the new token, ours or an identity provider's
   */
  'token': (string);
}
