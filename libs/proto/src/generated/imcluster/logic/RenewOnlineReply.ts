// Original file: proto/logic.proto


export interface RenewOnlineReply {
  /**
   * cluster-wide member count per room
   */
  'allRoomCount'?: ({[key: string]: number});
}

export interface RenewOnlineReply__Output {
  /**
   * cluster-wide member count per room
   */
  'allRoomCount': ({[key: string]: number});
}
