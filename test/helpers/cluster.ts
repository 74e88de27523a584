import { randomBytes } from 'node:crypto';
import { infraDefaults } from '@imcluster/common';
import { freePort, startService, type ServiceProcess } from './processes.ts';

// Test processes run in cluster mode, which refuses secrets shorter than 32 characters.
export const JWT_SECRET = 'integration-test-jwt-secret-0123456789';
export const API_KEY = 'integration-test-api-key-0123456789';
export const CLUSTER_SECRET = 'integration-test-cluster-secret-0123456789';

export interface CometHandle {
  id: string;
  tcp: string;
  ws: string;
  grpc: string;
  /** host:port of /metrics, /healthz and /readyz. */
  metrics: string;
  process: ServiceProcess;
}

export interface LogicHandle {
  id: string;
  http: string;
  grpc: string;
  process: ServiceProcess;
}

export interface ClusterOptions {
  comets?: number;
  logics?: number;
  jobs?: number;
  /** Extra environment for every process. */
  env?: Record<string, string>;
}

type After = { after(fn: () => unknown): void };

/**
 * A cluster of real processes in a namespace of its own (etcd prefix, Redis keys, Kafka topic and
 * group), on the infrastructure `pnpm infra:up` started, with short timers so tests run quickly.
 */
export class TestCluster {
  readonly namespace = `t${randomBytes(5).toString('hex')}`;
  readonly comets: CometHandle[] = [];
  readonly logics: LogicHandle[] = [];
  readonly jobs: ServiceProcess[] = [];
  readonly env: Record<string, string>;
  readonly #t: After;

  constructor(t: After, extraEnv: Record<string, string> = {}) {
    this.#t = t;
    this.env = {
      IM_MODE: 'cluster',
      IM_NAMESPACE: this.namespace,
      IM_JWT_SECRET: JWT_SECRET,
      IM_API_KEY: API_KEY,
      IM_CLUSTER_SECRET: CLUSTER_SECRET,
      IM_REGISTRY_TTL_SEC: '3',
      IM_ROUTING_TTL_SEC: '6',
      IM_ONLINE_REPORT_TTL_SEC: '2',
      IM_KAFKA_PARTITIONS: '4',
      IM_COMET_ALIVE_FLUSH_MS: '500',
      IM_COMET_RENEW_ONLINE_MS: '300',
      IM_COMET_SWEEP_MS: '200',
      IM_COMET_DRAIN_MS: '200',
      // Tests register and log in many users from 127.0.0.1; the address limit has its own tests.
      IM_AUTH_ADDRESS_PER_MIN: '0',
      IM_ETCD_ENDPOINTS: process.env.IM_ETCD_ENDPOINTS ?? infraDefaults.etcdEndpoints,
      IM_REDIS_URL: process.env.IM_REDIS_URL ?? infraDefaults.redisUrl,
      IM_MYSQL_URL: process.env.IM_MYSQL_URL ?? infraDefaults.mysqlUrl,
      IM_KAFKA_BROKERS: process.env.IM_KAFKA_BROKERS ?? infraDefaults.kafkaBrokers,
      ...extraEnv,
    };
  }

  static async start(t: After, options: ClusterOptions = {}): Promise<TestCluster> {
    const cluster = new TestCluster(t, options.env);
    await Promise.all(Array.from({ length: options.logics ?? 1 }, () => cluster.addLogic()));
    await Promise.all(Array.from({ length: options.comets ?? 2 }, () => cluster.addComet()));
    await Promise.all(Array.from({ length: options.jobs ?? 0 }, () => cluster.addJob()));
    return cluster;
  }

  get http(): string {
    return `http://${this.logics[0]!.http}`;
  }

  async addLogic(env: Record<string, string> = {}, readyTimeoutMs?: number): Promise<LogicHandle> {
    const id = `logic-${this.logics.length + 1}-${randomBytes(2).toString('hex')}`;
    const [httpPort, grpcPort] = [env.IM_LOGIC_HTTP_PORT ?? String(await freePort()), env.IM_LOGIC_GRPC_PORT ?? String(await freePort())];
    const process = startService(this.#t, id, 'services/logic/src/main.ts', {
      ...this.env,
      IM_LOGIC_ID: id,
      IM_LOGIC_HTTP_PORT: httpPort,
      IM_LOGIC_GRPC_PORT: grpcPort,
      ...env,
    });
    const ready = await process.ready(readyTimeoutMs);
    const handle = { id, http: String(ready.http), grpc: String(ready.grpc), process };
    this.logics.push(handle);
    return handle;
  }

  async addComet(env: Record<string, string> = {}, readyTimeoutMs?: number): Promise<CometHandle> {
    const id = `comet-${this.comets.length + 1}-${randomBytes(2).toString('hex')}`;
    const process = startService(this.#t, id, 'services/comet/src/main.ts', {
      ...this.env,
      IM_COMET_ID: id,
      IM_COMET_TCP_PORT: String(await freePort()),
      IM_COMET_WS_PORT: String(await freePort()),
      IM_COMET_GRPC_PORT: String(await freePort()),
      IM_COMET_METRICS_PORT: String(await freePort()),
      ...env,
    });
    const ready = await process.ready(readyTimeoutMs);
    const handle = { id, tcp: String(ready.tcp), ws: String(ready.ws), grpc: String(ready.grpc), metrics: String(ready.metrics), process };
    this.comets.push(handle);
    return handle;
  }

  /** `readyTimeoutMs`: a job is ready once it joined the consumer group, which a dead member's session can hold up. */
  async addJob(env: Record<string, string> = {}, readyTimeoutMs?: number): Promise<ServiceProcess> {
    const id = `job-${this.jobs.length + 1}-${randomBytes(2).toString('hex')}`;
    const process = startService(this.#t, id, 'services/job/src/main.ts', { ...this.env, IM_JOB_ID: id, IM_JOB_METRICS_PORT: String(await freePort()), ...env });
    await process.ready(readyTimeoutMs);
    this.jobs.push(process);
    return process;
  }
}
