export { Metrics } from './metrics.ts';
export type { Counter, Gauge, Histogram } from './families.ts';
export { CometMetrics, type CometPushKind } from './comet.ts';
export { LogicMetrics, type ChatOp } from './logic.ts';
export { JobMetrics, type JobPushKind } from './job.ts';
export { GrpcMetrics, type GrpcObserver } from './grpc.ts';
export { Health, type Check, type Liveness, type Readiness } from './health.ts';
export { observabilityAnswer, ObservabilityServer, OBSERVABILITY_PATHS, type ObservabilityAnswer } from './http.ts';
export { parseMetrics, sumOf, type Sample } from './parse.ts';
