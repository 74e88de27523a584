// Original file: proto/comet.proto


export interface RoomsReq {
}

export interface RoomsReq__Output {
}
