import * as grpc from '@grpc/grpc-js';
import { createServer, loadProtos, toGrpcStatus, type CallObserver, type ClusterCredentials, type LogicHandlers, type PushMsg__Output } from '@imcluster/proto';
import { errorCodeOf, type Logger } from '@imcluster/common';
import type { ChatService } from './chat/chat_service.ts';
import type { Connections } from './connections.ts';
import type { PushService, PushTarget } from './push.ts';

type Callback = (error: Partial<grpc.StatusObject> | null, value?: object) => void;

/** Resolves a domain call into a gRPC reply; a failure carries its error code to the caller. */
function answer(logger: Logger, callback: Callback, work: Promise<object>): void {
  work.then(
    (value) => callback(null, value),
    (error: unknown) => {
      if (errorCodeOf(error) === 'INTERNAL') logger.error({ err: error }, 'logic call failed');
      callback(toGrpcStatus(error));
    },
  );
}

function targetOf(msg: PushMsg__Output): PushTarget {
  switch (msg.type) {
    case 'KEYS':
      return { type: 'KEYS', keys: msg.keys };
    case 'MIDS':
      return { type: 'MIDS', mids: msg.mids.map(Number) };
    case 'ROOM':
      return { type: 'ROOM', room: msg.room };
    default:
      return { type: 'BROADCAST', speed: msg.speed };
  }
}

/** Translates comets' and internal callers' gRPC calls into Connections and PushService calls. */
export function createLogicGrpcServer(
  connections: Connections,
  push: PushService,
  chat: ChatService,
  logger: Logger,
  credentials: ClusterCredentials,
  calls: CallObserver,
): grpc.Server {
  const handlers: LogicHandlers = {
    Connect: ({ request: r }, cb) => answer(logger, cb, connections.connect({ server: r.server, transport: r.transport, clientAddress: r.clientAddress }, r.auth)),
    DisconnectMany: ({ request }, cb) =>
      answer(logger, cb, connections.disconnectMany(request.server, request.gone.map((g) => ({ mid: Number(g.mid), key: g.key }))).then((removed) => ({ removed }))),
    ChangeRoom: ({ request: r }, cb) => answer(logger, cb, connections.changeRoom(r.server, Number(r.mid), r.key, r.room).then(() => ({}))),
    RefreshToken: ({ request: r }, cb) => answer(logger, cb, connections.refreshToken(Number(r.mid), r.token).then((tokenExpiresAt) => ({ tokenExpiresAt }))),
    Heartbeat: ({ request }, cb) => answer(logger, cb, connections.heartbeat(request.server, request.alive).then(() => ({}))),
    RenewOnline: ({ request }, cb) =>
      answer(logger, cb, connections.renewOnline(request.server, request.roomCount).then((allRoomCount) => ({ allRoomCount }))),
    Chat: ({ request: r }, cb) => answer(logger, cb, chat.handleBatch({ mid: Number(r.mid), device: r.device }, r.ops).then((replies) => ({ replies }))),
    Push: ({ request }, cb) =>
      answer(logger, cb, push.push({ target: targetOf(request), operation: request.operation, body: request.msg, force: request.force }).then((id) => ({ id }))),
  };
  const server = createServer(credentials, calls);
  server.addService(loadProtos().LogicService.service, handlers);
  return server;
}
