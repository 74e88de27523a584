// Original file: proto/comet.proto

import type { Message as _imcluster_comet_Message, Message__Output as _imcluster_comet_Message__Output } from '../../imcluster/comet/Message.ts';

export interface PushKeysReq {
  /**
   * Connection keys held by this comet; keys it does not hold are ignored and counted.
   */
  'keys'?: (string)[];
  'msg'?: (_imcluster_comet_Message | null);
  /**
   * When true, the message bypasses the receivers' `accepts` filter (system and chat messages).
   */
  'force'?: (boolean);
}

export interface PushKeysReq__Output {
  /**
   * Connection keys held by this comet; keys it does not hold are ignored and counted.
   */
  'keys': (string)[];
  'msg': (_imcluster_comet_Message__Output | null);
  /**
   * When true, the message bypasses the receivers' `accepts` filter (system and chat messages).
   */
  'force': (boolean);
}
