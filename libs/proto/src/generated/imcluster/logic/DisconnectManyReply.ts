// Original file: proto/logic.proto


export interface DisconnectManyReply {
  /**
   * keys that were still known
   */
  'removed'?: (number);
}

export interface DisconnectManyReply__Output {
  /**
   * keys that were still known
   */
  'removed': (number);
}
