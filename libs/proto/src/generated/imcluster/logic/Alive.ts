// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One connection seen alive by its comet since the previous batch.
 */
export interface Alive {
  'mid'?: (number | string | Long);
  'key'?: (string);
  'room'?: (string);
}

/**
 * One connection seen alive by its comet since the previous batch.
 */
export interface Alive__Output {
  'mid': (number);
  'key': (string);
  'room': (string);
}
