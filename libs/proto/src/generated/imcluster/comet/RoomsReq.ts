// Original file: /work/main/proto/comet.proto


export interface RoomsReq {
}

export interface RoomsReq__Output {
}
