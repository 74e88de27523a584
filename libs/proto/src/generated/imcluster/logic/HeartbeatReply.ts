// Original file: proto/logic.proto


export interface HeartbeatReply {
}

export interface HeartbeatReply__Output {
}
