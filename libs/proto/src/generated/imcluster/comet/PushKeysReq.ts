// Original file: proto/comet.proto

import type { Message as _imcluster_comet_Message, Message__Output as _imcluster_comet_Message__Output } from '../../imcluster/comet/Message.ts';
import type { ChatRef as _imcluster_push_ChatRef, ChatRef__Output as _imcluster_push_ChatRef__Output } from '../../imcluster/push/ChatRef.ts';

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
  /**
   * A chat message delivery: each connection re-sends it on a back-off schedule until the client
   * acknowledges the conversation up to its seq (op 21).
   */
  'chat'?: (_imcluster_push_ChatRef | null);
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
  /**
   * A chat message delivery: each connection re-sends it on a back-off schedule until the client
   * acknowledges the conversation up to its seq (op 21).
   */
  'chat': (_imcluster_push_ChatRef__Output | null);
}
