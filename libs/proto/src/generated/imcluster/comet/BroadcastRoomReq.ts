// Original file: proto/comet.proto

import type { Message as _imcluster_comet_Message, Message__Output as _imcluster_comet_Message__Output } from '../../imcluster/comet/Message.ts';

export interface BroadcastRoomReq {
  'room'?: (string);
  /**
   * A batch of room messages, merged by job; comet encodes the batch once per client dialect
   * and writes the same bytes to every member socket.
   */
  'msgs'?: (_imcluster_comet_Message)[];
}

export interface BroadcastRoomReq__Output {
  'room': (string);
  /**
   * A batch of room messages, merged by job; comet encodes the batch once per client dialect
   * and writes the same bytes to every member socket.
   */
  'msgs': (_imcluster_comet_Message__Output)[];
}
