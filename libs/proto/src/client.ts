import * as grpc from '@grpc/grpc-js';
import { CometService, LogicService } from './load.ts';
import type { CometClient } from './generated/imcluster/comet/Comet.ts';
import type { LogicClient } from './generated/imcluster/logic/Logic.ts';
import { observeClientCalls, type CallObserver } from './observe.ts';

// Keepalive pings detect a dead peer between calls; comets and logics come and go.
const channelOptions: grpc.ChannelOptions = {
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
};

/** `observer`, when given, is told the outcome and duration of every call. */
export function createCometClient(address: string, observer?: CallObserver): CometClient {
  return new CometService(address, grpc.credentials.createInsecure(), clientOptions(observer));
}

export function createLogicClient(address: string, observer?: CallObserver): LogicClient {
  return new LogicService(address, grpc.credentials.createInsecure(), clientOptions(observer));
}

function clientOptions(observer?: CallObserver): grpc.ClientOptions {
  return observer ? { ...channelOptions, interceptors: [observeClientCalls(observer)] } : channelOptions;
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

/** Serves `implementation` on `address` ("host:port"); resolves with the bound port. */
export function serve(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
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
