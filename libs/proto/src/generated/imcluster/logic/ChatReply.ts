// Original file: proto/logic.proto

import type { ChatOp as _imcluster_logic_ChatOp, ChatOp__Output as _imcluster_logic_ChatOp__Output } from '../../imcluster/logic/ChatOp.ts';

export interface ChatReply {
  /**
   * one per request op
   */
  'replies'?: (_imcluster_logic_ChatOp)[];
}

export interface ChatReply__Output {
  /**
   * one per request op
   */
  'replies': (_imcluster_logic_ChatOp__Output)[];
}
