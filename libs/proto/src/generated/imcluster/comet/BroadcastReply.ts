// Original file: proto/comet.proto


export interface BroadcastReply {
  'delivered'?: (number);
}

export interface BroadcastReply__Output {
  'delivered': (number);
}
