// Original file: proto/comet.proto


export interface StatsReq {
}

export interface StatsReq__Output {
}
