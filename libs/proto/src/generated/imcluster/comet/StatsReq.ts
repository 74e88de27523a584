// Original file: /work/main/proto/comet.proto


export interface StatsReq {
}

export interface StatsReq__Output {
}
