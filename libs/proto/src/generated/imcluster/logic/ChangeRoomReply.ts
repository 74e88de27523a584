// Original file: proto/logic.proto


export interface ChangeRoomReply {
}

export interface ChangeRoomReply__Output {
}
