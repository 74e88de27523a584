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
  /**
   * "ws" or "tcp": told to a connect proxy
   */
  'transport'?: (string);
  /**
   * the client's IP address as the comet sees it: told to a connect proxy
   */
  'clientAddress'?: (string);
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
  /**
   * "ws" or "tcp": told to a connect proxy
   */
  'transport': (string);
  /**
   * the client's IP address as the comet sees it: told to a connect proxy
   */
  'clientAddress': (string);
}
