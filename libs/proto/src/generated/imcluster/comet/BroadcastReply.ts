// Original file: /work/main/proto/comet.proto


export interface BroadcastReply {
  'delivered'?: (number);
}

export interface BroadcastReply__Output {
  'delivered': (number);
}
