// Original file: proto/comet.proto

import type { Long } from '@grpc/proto-loader';

export interface StatsReply {
  'serverId'?: (string);
  'connections'?: (number);
  /**
   * BroadcastRoom calls received
   */
  'roomBatches'?: (number | string | Long);
  /**
   * messages inside those batches
   */
  'roomMessages'?: (number | string | Long);
  /**
   * PushKeys calls received
   */
  'keyPushes'?: (number | string | Long);
  /**
   * Broadcast calls received
   */
  'broadcasts'?: (number | string | Long);
  /**
   * frames dropped by the slow-consumer policy
   */
  'framesDropped'?: (number | string | Long);
  /**
   * sockets closed by the slow-consumer policy
   */
  'slowDisconnects'?: (number | string | Long);
  /**
   * room id -> BroadcastRoom calls received for it
   */
  'roomBatchesByRoom'?: ({[key: string]: number | string | Long});
  /**
   * chat messages written again to a connection that had not acknowledged them
   */
  'chatResends'?: (number | string | Long);
}

export interface StatsReply__Output {
  'serverId': (string);
  'connections': (number);
  /**
   * BroadcastRoom calls received
   */
  'roomBatches': (number);
  /**
   * messages inside those batches
   */
  'roomMessages': (number);
  /**
   * PushKeys calls received
   */
  'keyPushes': (number);
  /**
   * Broadcast calls received
   */
  'broadcasts': (number);
  /**
   * frames dropped by the slow-consumer policy
   */
  'framesDropped': (number);
  /**
   * sockets closed by the slow-consumer policy
   */
  'slowDisconnects': (number);
  /**
   * room id -> BroadcastRoom calls received for it
   */
  'roomBatchesByRoom': ({[key: string]: number});
  /**
   * chat messages written again to a connection that had not acknowledged them
   */
  'chatResends': (number);
}
