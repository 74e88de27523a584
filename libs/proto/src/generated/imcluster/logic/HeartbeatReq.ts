// Original file: proto/logic.proto

import type { Alive as _imcluster_logic_Alive, Alive__Output as _imcluster_logic_Alive__Output } from '../../imcluster/logic/Alive.ts';

export interface HeartbeatReq {
  'server'?: (string);
  'alive'?: (_imcluster_logic_Alive)[];
}

export interface HeartbeatReq__Output {
  'server': (string);
  'alive': (_imcluster_logic_Alive__Output)[];
}
