// Original file: proto/logic.proto


export interface ConnectReq {
  /**
   * comet instance id
   */
  'server'?: (string);
  /**
   * the op-7 body exactly as the client sent it
   */
  'auth'?: (Buffer | Uint8Array | string);
}

export interface ConnectReq__Output {
  /**
   * comet instance id
   */
  'server': (string);
  /**
   * the op-7 body exactly as the client sent it
   */
  'auth': (Buffer);
}
