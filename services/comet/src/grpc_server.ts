import type * as grpc from '@grpc/grpc-js';
import { ImError } from '@imcluster/common';
import { createServer, loadProtos, toGrpcStatus, type CallObserver, type ClusterCredentials, type CometHandlers, type BroadcastRoomReq__Output, type Message__Output, type PushKeysReq__Output, type PushStreamReq__Output } from '@imcluster/proto';
import type { OutMessage } from '@imcluster/protocol';
import type { Hub } from './hub.ts';
import type { CometStats } from './stats.ts';

function toOut(msg: Message__Output | null): OutMessage {
  return { op: msg?.op ?? 0, body: msg?.body ?? Buffer.alloc(0) };
}

export interface CometService {
  serverId: string;
  hub: Hub;
  stats: CometStats;
  /** Comet.drain(): out of service, clients moved elsewhere; resolves with how many were told. */
  drain: () => Promise<number>;
  /** The jobs' open PushStream calls, which the comet ends before its gRPC server shuts down (they would hold it open). */
  pushStreams: Set<{ end(): void }>;
}

/** Translates gRPC calls (job's pushes, the operators' Stats and Drain) into hub and comet operations; nothing else. */
export function createCometGrpcServer({ serverId, hub, stats, drain, pushStreams }: CometService, credentials: ClusterCredentials, calls: CallObserver): grpc.Server {
  // Answered once the batch is queued (the sockets are written after): the job's commit does not
  // wait for 10,000 socket writes, and a comet that falls behind answers late (back-pressure).
  const queueRoomBatch = ({ room, msgs }: BroadcastRoomReq__Output, answer: (members: number) => void) => {
    hub.broadcastRoom(room, msgs.map(toOut), msgs.map((m) => Number(m.ts)), answer);
  };
  const pushKeys = ({ keys, msg, force, chat }: PushKeysReq__Output) => hub.pushKeys(keys, toOut(msg), force, chat ? { conv: chat.conv, seq: chat.seq } : undefined);
  const handlers: CometHandlers = {
    PushKeys(call, callback) {
      callback(null, pushKeys(call.request));
    },
    BroadcastRoom(call, callback) {
      queueRoomBatch(call.request, (members) => callback(null, { delivered: members }));
    },
    PushStream(call) {
      pushStreams.add(call);
      const answer = (id: number) => (delivered: number) => call.write({ id, delivered });
      call.on('data', ({ id, room, keys }: PushStreamReq__Output) => {
        // grpc-js emits 'data' outside any try: a throw here would end the process, not the stream.
        try {
          if (keys) answer(id)(pushKeys(keys).delivered);
          else if (room) queueRoomBatch(room, answer(id));
          // A kind this comet does not know (a newer job): refused loudly, never answered as delivered.
          else throw new ImError('INVALID', 'a push stream message with neither room nor keys');
        } catch (error) {
          call.emit('error', toGrpcStatus(error));
        }
      });
      // The job closed its side (or went away): nothing more will come.
      call.on('end', () => {
        pushStreams.delete(call);
        call.end();
      });
      for (const gone of ['error', 'cancelled', 'close']) call.on(gone, () => pushStreams.delete(call));
    },
    Broadcast(call, callback) {
      callback(null, { delivered: hub.broadcast(toOut(call.request.msg), call.request.speed) });
    },
    Kick(call, callback) {
      const { keys, code, reason } = call.request;
      callback(null, { closed: hub.kick(keys, code, reason) });
    },
    Stats(_call, callback) {
      callback(null, {
        serverId,
        connections: hub.size,
        roomBatches: stats.roomBatches,
        roomMessages: stats.roomMessages,
        keyPushes: stats.keyPushes,
        broadcasts: stats.broadcasts,
        framesDropped: stats.framesDropped,
        slowDisconnects: stats.slowDisconnects,
        chatResends: stats.chatResends,
        roomBatchesByRoom: Object.fromEntries(stats.roomBatchesByRoom),
      });
    },
    Drain(_call, callback) {
      drain().then(
        (clients) => callback(null, { clients }),
        (error: unknown) => callback(toGrpcStatus(error)),
      );
    },
  };
  const server = createServer(credentials, calls, { 'grpc.max_receive_message_length': 16 * 1024 * 1024 });
  server.addService(loadProtos().CometService.service, handlers);
  return server;
}
