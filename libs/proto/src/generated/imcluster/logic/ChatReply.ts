// Original file: proto/logic.proto


export interface ChatReply {
  /**
   * reply op for the client, 0 = no reply
   */
  'op'?: (number);
  'body'?: (Buffer | Uint8Array | string);
}

export interface ChatReply__Output {
  /**
   * reply op for the client, 0 = no reply
   */
  'op': (number);
  'body': (Buffer);
}
