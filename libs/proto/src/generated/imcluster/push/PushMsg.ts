// Original file: proto/push.proto

import type { ChatRef as _imcluster_push_ChatRef, ChatRef__Output as _imcluster_push_ChatRef__Output } from '../../imcluster/push/ChatRef.ts';
import type { Long } from '@grpc/proto-loader';

// Original file: proto/push.proto

export const _imcluster_push_PushMsg_Type = {
  /**
   * to connection keys
   */
  KEYS: 'KEYS',
  /**
   * to every connection of these users
   */
  MIDS: 'MIDS',
  /**
   * to every member of a room
   */
  ROOM: 'ROOM',
  /**
   * to every connection of every comet
   */
  BROADCAST: 'BROADCAST',
} as const;

export type _imcluster_push_PushMsg_Type =
  /**
   * to connection keys
   */
  | 'KEYS'
  | 0
  /**
   * to every connection of these users
   */
  | 'MIDS'
  | 1
  /**
   * to every member of a room
   */
  | 'ROOM'
  | 2
  /**
   * to every connection of every comet
   */
  | 'BROADCAST'
  | 3

export type _imcluster_push_PushMsg_Type__Output = typeof _imcluster_push_PushMsg_Type[keyof typeof _imcluster_push_PushMsg_Type]

export interface PushMsg {
  'type'?: (_imcluster_push_PushMsg_Type);
  'operation'?: (number);
  'keys'?: (string)[];
  'mids'?: (number | string | Long)[];
  'room'?: (string);
  /**
   * BROADCAST only: goim's pacing, sockets per second per comet
   */
  'speed'?: (number);
  /**
   * the body clients receive
   */
  'msg'?: (Buffer | Uint8Array | string);
  /**
   * assigned by logic
   */
  'id'?: (string);
  /**
   * ms since epoch when logic accepted it
   */
  'ts'?: (number | string | Long);
  /**
   * bypass `accepts` filtering (system/chat messages)
   */
  'force'?: (boolean);
  /**
   * set on chat message deliveries (op 20): comets re-send them until acknowledged
   */
  'chat'?: (_imcluster_push_ChatRef | null);
}

export interface PushMsg__Output {
  'type': (_imcluster_push_PushMsg_Type__Output);
  'operation': (number);
  'keys': (string)[];
  'mids': (number)[];
  'room': (string);
  /**
   * BROADCAST only: goim's pacing, sockets per second per comet
   */
  'speed': (number);
  /**
   * the body clients receive
   */
  'msg': (Buffer);
  /**
   * assigned by logic
   */
  'id': (string);
  /**
   * ms since epoch when logic accepted it
   */
  'ts': (number);
  /**
   * bypass `accepts` filtering (system/chat messages)
   */
  'force': (boolean);
  /**
   * set on chat message deliveries (op 20): comets re-send them until acknowledged
   */
  'chat': (_imcluster_push_ChatRef__Output | null);
}
