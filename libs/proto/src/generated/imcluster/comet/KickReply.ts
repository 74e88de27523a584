// Original file: proto/comet.proto


export interface KickReply {
  /**
   * connections closed
   */
  'closed'?: (number);
}

export interface KickReply__Output {
  /**
   * connections closed
   */
  'closed': (number);
}
