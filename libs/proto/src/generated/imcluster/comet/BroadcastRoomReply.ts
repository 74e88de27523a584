// Original file: proto/comet.proto


export interface BroadcastRoomReply {
  /**
   * sockets the batch was queued on
   */
  'delivered'?: (number);
}

export interface BroadcastRoomReply__Output {
  /**
   * sockets the batch was queued on
   */
  'delivered': (number);
}
