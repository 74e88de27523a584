// Original file: proto/comet.proto

import type { Message as _imcluster_comet_Message, Message__Output as _imcluster_comet_Message__Output } from '../../imcluster/comet/Message.ts';

export interface BroadcastReq {
  'msg'?: (_imcluster_comet_Message | null);
  /**
   * goim's pacing: sockets per second this comet writes to (0 = as fast as possible).
   */
  'speed'?: (number);
}

export interface BroadcastReq__Output {
  'msg': (_imcluster_comet_Message__Output | null);
  /**
   * goim's pacing: sockets per second this comet writes to (0 = as fast as possible).
   */
  'speed': (number);
}
