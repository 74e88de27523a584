// Original file: /work/main/proto/logic.proto


export interface HeartbeatReply {
}

export interface HeartbeatReply__Output {
}
