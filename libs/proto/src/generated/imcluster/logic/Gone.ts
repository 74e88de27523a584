// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Connections a comet saw close since its last batch (disconnects are batched like heartbeats).
 */
export interface Gone {
  'mid'?: (number | string | Long);
  'key'?: (string);
}

/**
 * Connections a comet saw close since its last batch (disconnects are batched like heartbeats).
 */
export interface Gone__Output {
  'mid': (number);
  'key': (string);
}
