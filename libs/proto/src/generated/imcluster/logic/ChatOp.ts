// Original file: proto/logic.proto


export interface ChatOp {
  /**
   * in ChatReply: the reply op for the client, 0 = no reply
   */
  'op'?: (number);
  'body'?: (Buffer | Uint8Array | string);
}

export interface ChatOp__Output {
  /**
   * in ChatReply: the reply op for the client, 0 = no reply
   */
  'op': (number);
  'body': (Buffer);
}
