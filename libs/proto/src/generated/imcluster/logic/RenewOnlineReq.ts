// Original file: proto/logic.proto


export interface RenewOnlineReq {
  'server'?: (string);
  /**
   * this comet's local member count per room
   */
  'roomCount'?: ({[key: string]: number});
}

export interface RenewOnlineReq__Output {
  'server': (string);
  /**
   * this comet's local member count per room
   */
  'roomCount': ({[key: string]: number});
}
