// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface ConnectReply {
  /**
   * 0 on success; otherwise a documented auth error code (see docs/protocol.md) and `message`.
   */
  'code'?: (number);
  'message'?: (string);
  /**
   * user id (0 = anonymous viewer)
   */
  'mid'?: (number | string | Long);
  /**
   * connection key assigned by logic
   */
  'key'?: (string);
  /**
   * room joined, "" for none
   */
  'room'?: (string);
  'accepts'?: (number)[];
  /**
   * server heartbeat timeout the comet enforces
   */
  'heartbeatSec'?: (number);
  /**
   * "goim" or "bili": which client dialect the auth body used.
   */
  'dialect'?: (string);
  /**
   * bili dialect: 0/1 plain JSON, 2 zlib, 3 brotli
   */
  'protover'?: (number);
  /**
   * receive-only
   */
  'anonymous'?: (boolean);
  /**
   * the client's device_id, "" when it sent none
   */
  'device'?: (string);
  /**
   * When the token the connection authenticated with expires, ms since the epoch (0 = never:
   * anonymous viewers, tokens without `exp`). The comet closes the connection then (3509).
   */
  'tokenExpiresAt'?: (number | string | Long);
  /**
   * JSON object a connect proxy's backend gave the app ("info" in its allow answer), "" for none:
   * the comet passes it to the client in the op-8 reply.
   */
  'info'?: (string);
}

export interface ConnectReply__Output {
  /**
   * 0 on success; otherwise a documented auth error code (see docs/protocol.md) and `message`.
   */
  'code': (number);
  'message': (string);
  /**
   * user id (0 = anonymous viewer)
   */
  'mid': (number);
  /**
   * connection key assigned by logic
   */
  'key': (string);
  /**
   * room joined, "" for none
   */
  'room': (string);
  'accepts': (number)[];
  /**
   * server heartbeat timeout the comet enforces
   */
  'heartbeatSec': (number);
  /**
   * "goim" or "bili": which client dialect the auth body used.
   */
  'dialect': (string);
  /**
   * bili dialect: 0/1 plain JSON, 2 zlib, 3 brotli
   */
  'protover': (number);
  /**
   * receive-only
   */
  'anonymous': (boolean);
  /**
   * the client's device_id, "" when it sent none
   */
  'device': (string);
  /**
   * When the token the connection authenticated with expires, ms since the epoch (0 = never:
   * anonymous viewers, tokens without `exp`). The comet closes the connection then (3509).
   */
  'tokenExpiresAt': (number);
  /**
   * JSON object a connect proxy's backend gave the app ("info" in its allow answer), "" for none:
   * the comet passes it to the client in the op-8 reply.
   */
  'info': (string);
}
