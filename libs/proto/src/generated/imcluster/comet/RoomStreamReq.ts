// Original file: proto/comet.proto

import type { BroadcastRoomReq as _imcluster_comet_BroadcastRoomReq, BroadcastRoomReq__Output as _imcluster_comet_BroadcastRoomReq__Output } from '../../imcluster/comet/BroadcastRoomReq.ts';

/**
 * One room batch on a job's RoomStream, numbered by the job (numbers wrap around).
 */
export interface RoomStreamReq {
  'id'?: (number);
  'batch'?: (_imcluster_comet_BroadcastRoomReq | null);
}

/**
 * One room batch on a job's RoomStream, numbered by the job (numbers wrap around).
 */
export interface RoomStreamReq__Output {
  'id': (number);
  'batch': (_imcluster_comet_BroadcastRoomReq__Output | null);
}
