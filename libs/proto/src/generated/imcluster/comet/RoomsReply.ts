// Original file: proto/comet.proto


export interface RoomsReply {
  /**
   * room id -> local member count
   */
  'rooms'?: ({[key: string]: number});
}

export interface RoomsReply__Output {
  /**
   * room id -> local member count
   */
  'rooms': ({[key: string]: number});
}
