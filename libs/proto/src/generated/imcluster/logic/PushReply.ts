// Original file: proto/logic.proto


export interface PushReply {
  /**
   * message id assigned by logic
   */
  'id'?: (string);
}

export interface PushReply__Output {
  /**
   * message id assigned by logic
   */
  'id': (string);
}
