import * as grpc from '@grpc/grpc-js';
import { loadProtos } from './load.ts';
import type { CometClient } from './generated/imcluster/comet/Comet.ts';
import type { LogicClient } from './generated/imcluster/logic/Logic.ts';
import { channelCredentials, requireSecret, sendSecret, serverCredentials, type ClusterCredentials } from './cluster_auth.ts';
import { observeClientCalls, observeServerCalls, type CallObserver } from './observe.ts';

// Keepalive pings detect a dead peer between calls; comets and logics come and go.
const channelOptions: grpc.ChannelOptions = {
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
};

/**
 * Sends grpc-js's own log lines into the process logger at debug level instead of raw "E ..."
 * lines on stderr: each error it logs is also returned through its API, where we handle it.
 */
export function grpcLogsTo(logger: { debug(message: string): void }): void {
  const write = (message?: unknown, ...rest: unknown[]) => logger.debug(['grpc-js:', message, ...rest].join(' '));
  grpc.setLogger({ error: write, info: write, debug: write });
}

/** A client whose calls carry the cluster's credentials; `observer`, when given, is told the outcome and duration of every call. */
export function createCometClient(address: string, credentials: ClusterCredentials, observer?: CallObserver): CometClient {
  return new (loadProtos().CometService)(address, channelCredentials(credentials), clientOptions(credentials, observer));
}

export function createLogicClient(address: string, credentials: ClusterCredentials, observer?: CallObserver): LogicClient {
  return new (loadProtos().LogicService)(address, channelCredentials(credentials), clientOptions(credentials, observer));
}

function clientOptions(credentials: ClusterCredentials, observer?: CallObserver): grpc.ClientOptions {
  const interceptors = [sendSecret(credentials), ...(observer ? [observeClientCalls(observer)] : [])];
  return { ...channelOptions, interceptors };
}

/**
 * The one way a gRPC server of the cluster is made: every call is counted by `observer` (when
 * given) and refused unless it carries the cluster secret (see requireSecret), whatever service it serves.
 */
export function createServer(credentials: ClusterCredentials, observer?: CallObserver, options: grpc.ServerOptions = {}): grpc.Server {
  const interceptors = [...(observer ? [observeServerCalls(observer)] : []), requireSecret(credentials)];
  return new grpc.Server({ ...options, interceptors });
}

/** Starts a unary call; the generated clients' 4-argument overload fits this shape. */
export type UnaryInvoker<Res> = (
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response?: Res) => void,
) => unknown;

/** Runs a unary call with a deadline and resolves with its reply. */
export function unary<Res>(invoke: UnaryInvoker<Res>, timeoutMs: number): Promise<Res> {
  return new Promise((resolve, reject) => {
    const deadline = new Date(Date.now() + timeoutMs);
    invoke(new grpc.Metadata(), { deadline }, (error, response) => {
      if (error) reject(error);
      else resolve(response as Res);
    });
  });
}

/**
 * Serves `server` on `address` ("host:port"), over mutual TLS when `credentials` hold certificates;
 * resolves with the bound port. A port in use rejects like net's listen does (code EADDRINUSE and
 * the port), which grpc-js only says in words.
 */
export function serve(server: grpc.Server, address: string, credentials: ClusterCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, serverCredentials(credentials), (error, port) => {
      if (!error) return resolve(port);
      if (!error.message.includes('EADDRINUSE')) return reject(error);
      const inUse = Number(address.slice(address.lastIndexOf(':') + 1));
      reject(Object.assign(new Error(`address in use: ${address}`, { cause: error }), { code: 'EADDRINUSE', port: inUse }));
    });
  });
}

/** Stops accepting calls, lets running ones finish for up to `graceMs`, then forces. */
export function shutdown(server: grpc.Server, graceMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
