// Original file: proto/comet.proto


export interface RoomStreamReply {
  /**
   * the batch answered
   */
  'id'?: (number);
  /**
   * as BroadcastRoomReply
   */
  'delivered'?: (number);
}

export interface RoomStreamReply__Output {
  /**
   * the batch answered
   */
  'id': (number);
  /**
   * as BroadcastRoomReply
   */
  'delivered': (number);
}
