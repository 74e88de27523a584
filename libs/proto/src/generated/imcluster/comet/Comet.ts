// Original file: proto/comet.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BroadcastReply as _imcluster_comet_BroadcastReply, BroadcastReply__Output as _imcluster_comet_BroadcastReply__Output } from '../../imcluster/comet/BroadcastReply.ts';
import type { BroadcastReq as _imcluster_comet_BroadcastReq, BroadcastReq__Output as _imcluster_comet_BroadcastReq__Output } from '../../imcluster/comet/BroadcastReq.ts';
import type { BroadcastRoomReply as _imcluster_comet_BroadcastRoomReply, BroadcastRoomReply__Output as _imcluster_comet_BroadcastRoomReply__Output } from '../../imcluster/comet/BroadcastRoomReply.ts';
import type { BroadcastRoomReq as _imcluster_comet_BroadcastRoomReq, BroadcastRoomReq__Output as _imcluster_comet_BroadcastRoomReq__Output } from '../../imcluster/comet/BroadcastRoomReq.ts';
import type { DrainReply as _imcluster_comet_DrainReply, DrainReply__Output as _imcluster_comet_DrainReply__Output } from '../../imcluster/comet/DrainReply.ts';
import type { DrainReq as _imcluster_comet_DrainReq, DrainReq__Output as _imcluster_comet_DrainReq__Output } from '../../imcluster/comet/DrainReq.ts';
import type { KickReply as _imcluster_comet_KickReply, KickReply__Output as _imcluster_comet_KickReply__Output } from '../../imcluster/comet/KickReply.ts';
import type { KickReq as _imcluster_comet_KickReq, KickReq__Output as _imcluster_comet_KickReq__Output } from '../../imcluster/comet/KickReq.ts';
import type { PushKeysReply as _imcluster_comet_PushKeysReply, PushKeysReply__Output as _imcluster_comet_PushKeysReply__Output } from '../../imcluster/comet/PushKeysReply.ts';
import type { PushKeysReq as _imcluster_comet_PushKeysReq, PushKeysReq__Output as _imcluster_comet_PushKeysReq__Output } from '../../imcluster/comet/PushKeysReq.ts';
import type { PushStreamReply as _imcluster_comet_PushStreamReply, PushStreamReply__Output as _imcluster_comet_PushStreamReply__Output } from '../../imcluster/comet/PushStreamReply.ts';
import type { PushStreamReq as _imcluster_comet_PushStreamReq, PushStreamReq__Output as _imcluster_comet_PushStreamReq__Output } from '../../imcluster/comet/PushStreamReq.ts';
import type { StatsReply as _imcluster_comet_StatsReply, StatsReply__Output as _imcluster_comet_StatsReply__Output } from '../../imcluster/comet/StatsReply.ts';
import type { StatsReq as _imcluster_comet_StatsReq, StatsReq__Output as _imcluster_comet_StatsReq__Output } from '../../imcluster/comet/StatsReq.ts';

export interface CometClient extends grpc.Client {
  Broadcast(argument: _imcluster_comet_BroadcastReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  Broadcast(argument: _imcluster_comet_BroadcastReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  Broadcast(argument: _imcluster_comet_BroadcastReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  Broadcast(argument: _imcluster_comet_BroadcastReq, callback: grpc.requestCallback<_imcluster_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  broadcast(argument: _imcluster_comet_BroadcastReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  broadcast(argument: _imcluster_comet_BroadcastReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  broadcast(argument: _imcluster_comet_BroadcastReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  broadcast(argument: _imcluster_comet_BroadcastReq, callback: grpc.requestCallback<_imcluster_comet_BroadcastReply__Output>): grpc.ClientUnaryCall;
  
  BroadcastRoom(argument: _imcluster_comet_BroadcastRoomReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_BroadcastRoomReply__Output>): grpc.ClientUnaryCall;
  BroadcastRoom(argument: _imcluster_comet_BroadcastRoomReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_comet_BroadcastRoomReply__Output>): grpc.ClientUnaryCall;
  BroadcastRoom(argument: _imcluster_comet_BroadcastRoomReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_BroadcastRoomReply__Output>): grpc.ClientUnaryCall;
  BroadcastRoom(argument: _imcluster_comet_BroadcastRoomReq, callback: grpc.requestCallback<_imcluster_comet_BroadcastRoomReply__Output>): grpc.ClientUnaryCall;
  broadcastRoom(argument: _imcluster_comet_BroadcastRoomReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_BroadcastRoomReply__Output>): grpc.ClientUnaryCall;
  broadcastRoom(argument: _imcluster_comet_BroadcastRoomReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_comet_BroadcastRoomReply__Output>): grpc.ClientUnaryCall;
  broadcastRoom(argument: _imcluster_comet_BroadcastRoomReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_BroadcastRoomReply__Output>): grpc.ClientUnaryCall;
  broadcastRoom(argument: _imcluster_comet_BroadcastRoomReq, callback: grpc.requestCallback<_imcluster_comet_BroadcastRoomReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * Takes this comet out of service while its process keeps running: it leaves the registry,
   * stops accepting sockets and closes every client with 3001 over IM_COMET_DRAIN_MS (what
   * SIGTERM does before exiting). Answered once every client was told. There is no undo: stop
   * the process and start it again.
   */
  Drain(argument: _imcluster_comet_DrainReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_DrainReply__Output>): grpc.ClientUnaryCall;
  Drain(argument: _imcluster_comet_DrainReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_comet_DrainReply__Output>): grpc.ClientUnaryCall;
  Drain(argument: _imcluster_comet_DrainReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_DrainReply__Output>): grpc.ClientUnaryCall;
  Drain(argument: _imcluster_comet_DrainReq, callback: grpc.requestCallback<_imcluster_comet_DrainReply__Output>): grpc.ClientUnaryCall;
  /**
   * Takes this comet out of service while its process keeps running: it leaves the registry,
   * stops accepting sockets and closes every client with 3001 over IM_COMET_DRAIN_MS (what
   * SIGTERM does before exiting). Answered once every client was told. There is no undo: stop
   * the process and start it again.
   */
  drain(argument: _imcluster_comet_DrainReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_DrainReply__Output>): grpc.ClientUnaryCall;
  drain(argument: _imcluster_comet_DrainReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_comet_DrainReply__Output>): grpc.ClientUnaryCall;
  drain(argument: _imcluster_comet_DrainReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_DrainReply__Output>): grpc.ClientUnaryCall;
  drain(argument: _imcluster_comet_DrainReq, callback: grpc.requestCallback<_imcluster_comet_DrainReply__Output>): grpc.ClientUnaryCall;
  
  Kick(argument: _imcluster_comet_KickReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_KickReply__Output>): grpc.ClientUnaryCall;
  Kick(argument: _imcluster_comet_KickReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_comet_KickReply__Output>): grpc.ClientUnaryCall;
  Kick(argument: _imcluster_comet_KickReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_KickReply__Output>): grpc.ClientUnaryCall;
  Kick(argument: _imcluster_comet_KickReq, callback: grpc.requestCallback<_imcluster_comet_KickReply__Output>): grpc.ClientUnaryCall;
  kick(argument: _imcluster_comet_KickReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_KickReply__Output>): grpc.ClientUnaryCall;
  kick(argument: _imcluster_comet_KickReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_comet_KickReply__Output>): grpc.ClientUnaryCall;
  kick(argument: _imcluster_comet_KickReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_KickReply__Output>): grpc.ClientUnaryCall;
  kick(argument: _imcluster_comet_KickReq, callback: grpc.requestCallback<_imcluster_comet_KickReply__Output>): grpc.ClientUnaryCall;
  
  PushKeys(argument: _imcluster_comet_PushKeysReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  PushKeys(argument: _imcluster_comet_PushKeysReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  PushKeys(argument: _imcluster_comet_PushKeysReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  PushKeys(argument: _imcluster_comet_PushKeysReq, callback: grpc.requestCallback<_imcluster_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  pushKeys(argument: _imcluster_comet_PushKeysReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  pushKeys(argument: _imcluster_comet_PushKeysReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  pushKeys(argument: _imcluster_comet_PushKeysReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  pushKeys(argument: _imcluster_comet_PushKeysReq, callback: grpc.requestCallback<_imcluster_comet_PushKeysReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * PushKeys and BroadcastRoom over one long-lived stream per job: pushes are taken in the order
   * sent and each is answered (by id) when the unary call would answer. A message on an open
   * stream costs a fraction of a unary call (bench/README.md, "Light-load latency").
   */
  PushStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_imcluster_comet_PushStreamReq, _imcluster_comet_PushStreamReply__Output>;
  PushStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_imcluster_comet_PushStreamReq, _imcluster_comet_PushStreamReply__Output>;
  /**
   * PushKeys and BroadcastRoom over one long-lived stream per job: pushes are taken in the order
   * sent and each is answered (by id) when the unary call would answer. A message on an open
   * stream costs a fraction of a unary call (bench/README.md, "Light-load latency").
   */
  pushStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_imcluster_comet_PushStreamReq, _imcluster_comet_PushStreamReply__Output>;
  pushStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_imcluster_comet_PushStreamReq, _imcluster_comet_PushStreamReply__Output>;
  
  Stats(argument: _imcluster_comet_StatsReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_StatsReply__Output>): grpc.ClientUnaryCall;
  Stats(argument: _imcluster_comet_StatsReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_comet_StatsReply__Output>): grpc.ClientUnaryCall;
  Stats(argument: _imcluster_comet_StatsReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_StatsReply__Output>): grpc.ClientUnaryCall;
  Stats(argument: _imcluster_comet_StatsReq, callback: grpc.requestCallback<_imcluster_comet_StatsReply__Output>): grpc.ClientUnaryCall;
  stats(argument: _imcluster_comet_StatsReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_StatsReply__Output>): grpc.ClientUnaryCall;
  stats(argument: _imcluster_comet_StatsReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_comet_StatsReply__Output>): grpc.ClientUnaryCall;
  stats(argument: _imcluster_comet_StatsReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_comet_StatsReply__Output>): grpc.ClientUnaryCall;
  stats(argument: _imcluster_comet_StatsReq, callback: grpc.requestCallback<_imcluster_comet_StatsReply__Output>): grpc.ClientUnaryCall;
  
}

export interface CometHandlers extends grpc.UntypedServiceImplementation {
  Broadcast: grpc.handleUnaryCall<_imcluster_comet_BroadcastReq__Output, _imcluster_comet_BroadcastReply>;
  
  BroadcastRoom: grpc.handleUnaryCall<_imcluster_comet_BroadcastRoomReq__Output, _imcluster_comet_BroadcastRoomReply>;
  
  /**
   * Takes this comet out of service while its process keeps running: it leaves the registry,
   * stops accepting sockets and closes every client with 3001 over IM_COMET_DRAIN_MS (what
   * SIGTERM does before exiting). Answered once every client was told. There is no undo: stop
   * the process and start it again.
   */
  Drain: grpc.handleUnaryCall<_imcluster_comet_DrainReq__Output, _imcluster_comet_DrainReply>;
  
  Kick: grpc.handleUnaryCall<_imcluster_comet_KickReq__Output, _imcluster_comet_KickReply>;
  
  PushKeys: grpc.handleUnaryCall<_imcluster_comet_PushKeysReq__Output, _imcluster_comet_PushKeysReply>;
  
  /**
   * PushKeys and BroadcastRoom over one long-lived stream per job: pushes are taken in the order
   * sent and each is answered (by id) when the unary call would answer. A message on an open
   * stream costs a fraction of a unary call (bench/README.md, "Light-load latency").
   */
  PushStream: grpc.handleBidiStreamingCall<_imcluster_comet_PushStreamReq__Output, _imcluster_comet_PushStreamReply>;
  
  Stats: grpc.handleUnaryCall<_imcluster_comet_StatsReq__Output, _imcluster_comet_StatsReply>;
  
}

export interface CometDefinition extends grpc.ServiceDefinition {
  Broadcast: MethodDefinition<_imcluster_comet_BroadcastReq, _imcluster_comet_BroadcastReply, _imcluster_comet_BroadcastReq__Output, _imcluster_comet_BroadcastReply__Output>
  BroadcastRoom: MethodDefinition<_imcluster_comet_BroadcastRoomReq, _imcluster_comet_BroadcastRoomReply, _imcluster_comet_BroadcastRoomReq__Output, _imcluster_comet_BroadcastRoomReply__Output>
  Drain: MethodDefinition<_imcluster_comet_DrainReq, _imcluster_comet_DrainReply, _imcluster_comet_DrainReq__Output, _imcluster_comet_DrainReply__Output>
  Kick: MethodDefinition<_imcluster_comet_KickReq, _imcluster_comet_KickReply, _imcluster_comet_KickReq__Output, _imcluster_comet_KickReply__Output>
  PushKeys: MethodDefinition<_imcluster_comet_PushKeysReq, _imcluster_comet_PushKeysReply, _imcluster_comet_PushKeysReq__Output, _imcluster_comet_PushKeysReply__Output>
  PushStream: MethodDefinition<_imcluster_comet_PushStreamReq, _imcluster_comet_PushStreamReply, _imcluster_comet_PushStreamReq__Output, _imcluster_comet_PushStreamReply__Output>
  Stats: MethodDefinition<_imcluster_comet_StatsReq, _imcluster_comet_StatsReply, _imcluster_comet_StatsReq__Output, _imcluster_comet_StatsReply__Output>
}
