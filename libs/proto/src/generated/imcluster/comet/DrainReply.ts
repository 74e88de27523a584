// Original file: proto/comet.proto


export interface DrainReply {
  /**
   * Clients told to reconnect elsewhere (close code 3001). A comet already draining answers 0.
   */
  'clients'?: (number);
}

export interface DrainReply__Output {
  /**
   * Clients told to reconnect elsewhere (close code 3001). A comet already draining answers 0.
   */
  'clients': (number);
}
