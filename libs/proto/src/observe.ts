import * as grpc from '@grpc/grpc-js';

/** Told about every finished call: its path ("/imcluster.logic.Logic/Connect"), status code and duration. */
export interface CallObserver {
  observe(path: string, code: number, seconds: number): void;
}

const since = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

/** A client interceptor reporting each call's status and latency to `observer`. */
export function observeClientCalls(observer: CallObserver): grpc.Interceptor {
  return (options, nextCall) => {
    const path = options.method_definition.path;
    const started = process.hrtime.bigint();
    const requester = new grpc.RequesterBuilder()
      .withStart((metadata, listener, next) => {
        const observing = new grpc.ListenerBuilder()
          .withOnReceiveStatus((status, nextStatus) => {
            observer.observe(path, status.code, since(started));
            nextStatus(status);
          })
          .build();
        next(metadata, { ...listener, ...observing });
      })
      .build();
    return new grpc.InterceptingCall(nextCall(options), requester);
  };
}

/** A server interceptor reporting each call's status and latency to `observer`. */
export function observeServerCalls(observer: CallObserver): grpc.ServerInterceptor {
  return (method, call) => {
    const started = process.hrtime.bigint();
    const responder = new grpc.ResponderBuilder()
      .withSendStatus((status, next) => {
        observer.observe(method.path, status.code, since(started));
        next(status);
      })
      .build();
    return new grpc.ServerInterceptingCall(call, responder);
  };
}
