// Original file: proto/logic.proto

import type { Long } from '@grpc/proto-loader';

export interface ChangeRoomReq {
  'server'?: (string);
  'mid'?: (number | string | Long);
  'key'?: (string);
  'room'?: (string);
}

export interface ChangeRoomReq__Output {
  'server': (string);
  'mid': (number);
  'key': (string);
  'room': (string);
}
