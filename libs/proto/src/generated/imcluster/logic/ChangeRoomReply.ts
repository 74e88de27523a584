// Original file: /work/main/proto/logic.proto


export interface ChangeRoomReply {
}

export interface ChangeRoomReply__Output {
}
