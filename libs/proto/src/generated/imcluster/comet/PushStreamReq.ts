// Original file: proto/comet.proto

import type { BroadcastRoomReq as _imcluster_comet_BroadcastRoomReq, BroadcastRoomReq__Output as _imcluster_comet_BroadcastRoomReq__Output } from '../../imcluster/comet/BroadcastRoomReq.ts';
import type { PushKeysReq as _imcluster_comet_PushKeysReq, PushKeysReq__Output as _imcluster_comet_PushKeysReq__Output } from '../../imcluster/comet/PushKeysReq.ts';

/**
 * One push on a job's PushStream, a room batch or a key push, numbered by the job (numbers wrap
 * around).
 */
export interface PushStreamReq {
  'id'?: (number);
  'room'?: (_imcluster_comet_BroadcastRoomReq | null);
  'keys'?: (_imcluster_comet_PushKeysReq | null);
  'push'?: "room"|"keys";
}

/**
 * One push on a job's PushStream, a room batch or a key push, numbered by the job (numbers wrap
 * around).
 */
export interface PushStreamReq__Output {
  'id': (number);
  'room'?: (_imcluster_comet_BroadcastRoomReq__Output | null);
  'keys'?: (_imcluster_comet_PushKeysReq__Output | null);
  'push'?: "room"|"keys";
}
