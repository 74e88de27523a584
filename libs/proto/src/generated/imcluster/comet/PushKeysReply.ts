// Original file: proto/comet.proto


export interface PushKeysReply {
  /**
   * sockets the message was queued on
   */
  'delivered'?: (number);
  /**
   * keys this comet does not hold
   */
  'missing'?: (number);
}

export interface PushKeysReply__Output {
  /**
   * sockets the message was queued on
   */
  'delivered': (number);
  /**
   * keys this comet does not hold
   */
  'missing': (number);
}
