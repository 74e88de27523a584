// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface DisconnectReq {
  'server'?: (string);
  'mid'?: (number | string | Long);
  'key'?: (string);
}

export interface DisconnectReq__Output {
  'server': (string);
  'mid': (number);
  'key': (string);
}
