// Original file: proto/comet.proto


export interface PushStreamReply {
  /**
   * the push answered
   */
  'id'?: (number);
  /**
   * as BroadcastRoomReply or PushKeysReply
   */
  'delivered'?: (number);
}

export interface PushStreamReply__Output {
  /**
   * the push answered
   */
  'id': (number);
  /**
   * as BroadcastRoomReply or PushKeysReply
   */
  'delivered': (number);
}
