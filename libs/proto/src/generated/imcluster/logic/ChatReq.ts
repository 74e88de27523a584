// Original file: proto/logic.proto

import type { ChatOp as _imcluster_logic_ChatOp, ChatOp__Output as _imcluster_logic_ChatOp__Output } from '../../imcluster/logic/ChatOp.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * Chat operations one connection sent (op 4 send, 21 ack, 22 sync, ...), in the order it sent them.
 * Logic handles them one after the other and answers one reply per op, in the same order, so the
 * messages of one connection get increasing seqs in each conversation whatever logic instance
 * serves the batch. A comet has at most one batch of a connection in flight.
 */
export interface ChatReq {
  'server'?: (string);
  /**
   * the connection's user, from its token: the sender is never taken from the body
   */
  'mid'?: (number | string | Long);
  'key'?: (string);
  'ops'?: (_imcluster_logic_ChatOp)[];
  /**
   * the connection's device_id from auth, "" for none: acks (op 21) move that device's cursor
   */
  'device'?: (string);
}

/**
 * Chat operations one connection sent (op 4 send, 21 ack, 22 sync, ...), in the order it sent them.
 * Logic handles them one after the other and answers one reply per op, in the same order, so the
 * messages of one connection get increasing seqs in each conversation whatever logic instance
 * serves the batch. A comet has at most one batch of a connection in flight.
 */
export interface ChatReq__Output {
  'server': (string);
  /**
   * the connection's user, from its token: the sender is never taken from the body
   */
  'mid': (number);
  'key': (string);
  'ops': (_imcluster_logic_ChatOp__Output)[];
  /**
   * the connection's device_id from auth, "" for none: acks (op 21) move that device's cursor
   */
  'device': (string);
}
