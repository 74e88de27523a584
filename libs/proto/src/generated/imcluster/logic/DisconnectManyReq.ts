// Original file: proto/logic.proto

import type { Gone as _imcluster_logic_Gone, Gone__Output as _imcluster_logic_Gone__Output } from '../../imcluster/logic/Gone.ts';

export interface DisconnectManyReq {
  'server'?: (string);
  'gone'?: (_imcluster_logic_Gone)[];
}

export interface DisconnectManyReq__Output {
  'server': (string);
  'gone': (_imcluster_logic_Gone__Output)[];
}
