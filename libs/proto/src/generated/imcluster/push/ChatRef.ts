// Original file: proto/push.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Which stored chat message a delivery carries.
 */
export interface ChatRef {
  'conv'?: (string);
  'seq'?: (number | string | Long);
}

/**
 * Which stored chat message a delivery carries.
 */
export interface ChatRef__Output {
  'conv': (string);
  'seq': (number);
}
