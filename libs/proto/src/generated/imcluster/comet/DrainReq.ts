// Original file: proto/comet.proto


export interface DrainReq {
}

export interface DrainReq__Output {
}
