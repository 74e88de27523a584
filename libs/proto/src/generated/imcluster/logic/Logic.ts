// Original file: proto/logic.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ChangeRoomReply as _imcluster_logic_ChangeRoomReply, ChangeRoomReply__Output as _imcluster_logic_ChangeRoomReply__Output } from '../../imcluster/logic/ChangeRoomReply.ts';
import type { ChangeRoomReq as _imcluster_logic_ChangeRoomReq, ChangeRoomReq__Output as _imcluster_logic_ChangeRoomReq__Output } from '../../imcluster/logic/ChangeRoomReq.ts';
import type { ChatReply as _imcluster_logic_ChatReply, ChatReply__Output as _imcluster_logic_ChatReply__Output } from '../../imcluster/logic/ChatReply.ts';
import type { ChatReq as _imcluster_logic_ChatReq, ChatReq__Output as _imcluster_logic_ChatReq__Output } from '../../imcluster/logic/ChatReq.ts';
import type { ConnectReply as _imcluster_logic_ConnectReply, ConnectReply__Output as _imcluster_logic_ConnectReply__Output } from '../../imcluster/logic/ConnectReply.ts';
import type { ConnectReq as _imcluster_logic_ConnectReq, ConnectReq__Output as _imcluster_logic_ConnectReq__Output } from '../../imcluster/logic/ConnectReq.ts';
import type { DisconnectManyReply as _imcluster_logic_DisconnectManyReply, DisconnectManyReply__Output as _imcluster_logic_DisconnectManyReply__Output } from '../../imcluster/logic/DisconnectManyReply.ts';
import type { DisconnectManyReq as _imcluster_logic_DisconnectManyReq, DisconnectManyReq__Output as _imcluster_logic_DisconnectManyReq__Output } from '../../imcluster/logic/DisconnectManyReq.ts';
import type { HeartbeatReply as _imcluster_logic_HeartbeatReply, HeartbeatReply__Output as _imcluster_logic_HeartbeatReply__Output } from '../../imcluster/logic/HeartbeatReply.ts';
import type { HeartbeatReq as _imcluster_logic_HeartbeatReq, HeartbeatReq__Output as _imcluster_logic_HeartbeatReq__Output } from '../../imcluster/logic/HeartbeatReq.ts';
import type { PushMsg as _imcluster_push_PushMsg, PushMsg__Output as _imcluster_push_PushMsg__Output } from '../../imcluster/push/PushMsg.ts';
import type { PushReply as _imcluster_logic_PushReply, PushReply__Output as _imcluster_logic_PushReply__Output } from '../../imcluster/logic/PushReply.ts';
import type { RefreshTokenReply as _imcluster_logic_RefreshTokenReply, RefreshTokenReply__Output as _imcluster_logic_RefreshTokenReply__Output } from '../../imcluster/logic/RefreshTokenReply.ts';
import type { RefreshTokenReq as _imcluster_logic_RefreshTokenReq, RefreshTokenReq__Output as _imcluster_logic_RefreshTokenReq__Output } from '../../imcluster/logic/RefreshTokenReq.ts';
import type { RenewOnlineReply as _imcluster_logic_RenewOnlineReply, RenewOnlineReply__Output as _imcluster_logic_RenewOnlineReply__Output } from '../../imcluster/logic/RenewOnlineReply.ts';
import type { RenewOnlineReq as _imcluster_logic_RenewOnlineReq, RenewOnlineReq__Output as _imcluster_logic_RenewOnlineReq__Output } from '../../imcluster/logic/RenewOnlineReq.ts';

export interface LogicClient extends grpc.Client {
  ChangeRoom(argument: _imcluster_logic_ChangeRoomReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_ChangeRoomReply__Output>): grpc.ClientUnaryCall;
  ChangeRoom(argument: _imcluster_logic_ChangeRoomReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_ChangeRoomReply__Output>): grpc.ClientUnaryCall;
  ChangeRoom(argument: _imcluster_logic_ChangeRoomReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_ChangeRoomReply__Output>): grpc.ClientUnaryCall;
  ChangeRoom(argument: _imcluster_logic_ChangeRoomReq, callback: grpc.requestCallback<_imcluster_logic_ChangeRoomReply__Output>): grpc.ClientUnaryCall;
  changeRoom(argument: _imcluster_logic_ChangeRoomReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_ChangeRoomReply__Output>): grpc.ClientUnaryCall;
  changeRoom(argument: _imcluster_logic_ChangeRoomReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_ChangeRoomReply__Output>): grpc.ClientUnaryCall;
  changeRoom(argument: _imcluster_logic_ChangeRoomReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_ChangeRoomReply__Output>): grpc.ClientUnaryCall;
  changeRoom(argument: _imcluster_logic_ChangeRoomReq, callback: grpc.requestCallback<_imcluster_logic_ChangeRoomReply__Output>): grpc.ClientUnaryCall;
  
  Chat(argument: _imcluster_logic_ChatReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_ChatReply__Output>): grpc.ClientUnaryCall;
  Chat(argument: _imcluster_logic_ChatReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_ChatReply__Output>): grpc.ClientUnaryCall;
  Chat(argument: _imcluster_logic_ChatReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_ChatReply__Output>): grpc.ClientUnaryCall;
  Chat(argument: _imcluster_logic_ChatReq, callback: grpc.requestCallback<_imcluster_logic_ChatReply__Output>): grpc.ClientUnaryCall;
  chat(argument: _imcluster_logic_ChatReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_ChatReply__Output>): grpc.ClientUnaryCall;
  chat(argument: _imcluster_logic_ChatReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_ChatReply__Output>): grpc.ClientUnaryCall;
  chat(argument: _imcluster_logic_ChatReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_ChatReply__Output>): grpc.ClientUnaryCall;
  chat(argument: _imcluster_logic_ChatReq, callback: grpc.requestCallback<_imcluster_logic_ChatReply__Output>): grpc.ClientUnaryCall;
  
  Connect(argument: _imcluster_logic_ConnectReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  Connect(argument: _imcluster_logic_ConnectReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  Connect(argument: _imcluster_logic_ConnectReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  Connect(argument: _imcluster_logic_ConnectReq, callback: grpc.requestCallback<_imcluster_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  connect(argument: _imcluster_logic_ConnectReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  connect(argument: _imcluster_logic_ConnectReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  connect(argument: _imcluster_logic_ConnectReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  connect(argument: _imcluster_logic_ConnectReq, callback: grpc.requestCallback<_imcluster_logic_ConnectReply__Output>): grpc.ClientUnaryCall;
  
  DisconnectMany(argument: _imcluster_logic_DisconnectManyReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_DisconnectManyReply__Output>): grpc.ClientUnaryCall;
  DisconnectMany(argument: _imcluster_logic_DisconnectManyReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_DisconnectManyReply__Output>): grpc.ClientUnaryCall;
  DisconnectMany(argument: _imcluster_logic_DisconnectManyReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_DisconnectManyReply__Output>): grpc.ClientUnaryCall;
  DisconnectMany(argument: _imcluster_logic_DisconnectManyReq, callback: grpc.requestCallback<_imcluster_logic_DisconnectManyReply__Output>): grpc.ClientUnaryCall;
  disconnectMany(argument: _imcluster_logic_DisconnectManyReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_DisconnectManyReply__Output>): grpc.ClientUnaryCall;
  disconnectMany(argument: _imcluster_logic_DisconnectManyReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_DisconnectManyReply__Output>): grpc.ClientUnaryCall;
  disconnectMany(argument: _imcluster_logic_DisconnectManyReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_DisconnectManyReply__Output>): grpc.ClientUnaryCall;
  disconnectMany(argument: _imcluster_logic_DisconnectManyReq, callback: grpc.requestCallback<_imcluster_logic_DisconnectManyReply__Output>): grpc.ClientUnaryCall;
  
  Heartbeat(argument: _imcluster_logic_HeartbeatReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _imcluster_logic_HeartbeatReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _imcluster_logic_HeartbeatReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _imcluster_logic_HeartbeatReq, callback: grpc.requestCallback<_imcluster_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _imcluster_logic_HeartbeatReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _imcluster_logic_HeartbeatReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _imcluster_logic_HeartbeatReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _imcluster_logic_HeartbeatReq, callback: grpc.requestCallback<_imcluster_logic_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * Internal pushers: the same operations as the HTTP push API.
   */
  Push(argument: _imcluster_push_PushMsg, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_PushReply__Output>): grpc.ClientUnaryCall;
  Push(argument: _imcluster_push_PushMsg, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_PushReply__Output>): grpc.ClientUnaryCall;
  Push(argument: _imcluster_push_PushMsg, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_PushReply__Output>): grpc.ClientUnaryCall;
  Push(argument: _imcluster_push_PushMsg, callback: grpc.requestCallback<_imcluster_logic_PushReply__Output>): grpc.ClientUnaryCall;
  /**
   * Internal pushers: the same operations as the HTTP push API.
   */
  push(argument: _imcluster_push_PushMsg, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_PushReply__Output>): grpc.ClientUnaryCall;
  push(argument: _imcluster_push_PushMsg, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_PushReply__Output>): grpc.ClientUnaryCall;
  push(argument: _imcluster_push_PushMsg, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_PushReply__Output>): grpc.ClientUnaryCall;
  push(argument: _imcluster_push_PushMsg, callback: grpc.requestCallback<_imcluster_logic_PushReply__Output>): grpc.ClientUnaryCall;
  
  RefreshToken(argument: _imcluster_logic_RefreshTokenReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_RefreshTokenReply__Output>): grpc.ClientUnaryCall;
  RefreshToken(argument: _imcluster_logic_RefreshTokenReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_RefreshTokenReply__Output>): grpc.ClientUnaryCall;
  RefreshToken(argument: _imcluster_logic_RefreshTokenReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_RefreshTokenReply__Output>): grpc.ClientUnaryCall;
  RefreshToken(argument: _imcluster_logic_RefreshTokenReq, callback: grpc.requestCallback<_imcluster_logic_RefreshTokenReply__Output>): grpc.ClientUnaryCall;
  refreshToken(argument: _imcluster_logic_RefreshTokenReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_RefreshTokenReply__Output>): grpc.ClientUnaryCall;
  refreshToken(argument: _imcluster_logic_RefreshTokenReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_RefreshTokenReply__Output>): grpc.ClientUnaryCall;
  refreshToken(argument: _imcluster_logic_RefreshTokenReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_RefreshTokenReply__Output>): grpc.ClientUnaryCall;
  refreshToken(argument: _imcluster_logic_RefreshTokenReq, callback: grpc.requestCallback<_imcluster_logic_RefreshTokenReply__Output>): grpc.ClientUnaryCall;
  
  RenewOnline(argument: _imcluster_logic_RenewOnlineReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  RenewOnline(argument: _imcluster_logic_RenewOnlineReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  RenewOnline(argument: _imcluster_logic_RenewOnlineReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  RenewOnline(argument: _imcluster_logic_RenewOnlineReq, callback: grpc.requestCallback<_imcluster_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  renewOnline(argument: _imcluster_logic_RenewOnlineReq, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  renewOnline(argument: _imcluster_logic_RenewOnlineReq, metadata: grpc.Metadata, callback: grpc.requestCallback<_imcluster_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  renewOnline(argument: _imcluster_logic_RenewOnlineReq, options: grpc.CallOptions, callback: grpc.requestCallback<_imcluster_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  renewOnline(argument: _imcluster_logic_RenewOnlineReq, callback: grpc.requestCallback<_imcluster_logic_RenewOnlineReply__Output>): grpc.ClientUnaryCall;
  
}

export interface LogicHandlers extends grpc.UntypedServiceImplementation {
  ChangeRoom: grpc.handleUnaryCall<_imcluster_logic_ChangeRoomReq__Output, _imcluster_logic_ChangeRoomReply>;
  
  Chat: grpc.handleUnaryCall<_imcluster_logic_ChatReq__Output, _imcluster_logic_ChatReply>;
  
  Connect: grpc.handleUnaryCall<_imcluster_logic_ConnectReq__Output, _imcluster_logic_ConnectReply>;
  
  DisconnectMany: grpc.handleUnaryCall<_imcluster_logic_DisconnectManyReq__Output, _imcluster_logic_DisconnectManyReply>;
  
  Heartbeat: grpc.handleUnaryCall<_imcluster_logic_HeartbeatReq__Output, _imcluster_logic_HeartbeatReply>;
  
  /**
   * Internal pushers: the same operations as the HTTP push API.
   */
  Push: grpc.handleUnaryCall<_imcluster_push_PushMsg__Output, _imcluster_logic_PushReply>;
  
  RefreshToken: grpc.handleUnaryCall<_imcluster_logic_RefreshTokenReq__Output, _imcluster_logic_RefreshTokenReply>;
  
  RenewOnline: grpc.handleUnaryCall<_imcluster_logic_RenewOnlineReq__Output, _imcluster_logic_RenewOnlineReply>;
  
}

export interface LogicDefinition extends grpc.ServiceDefinition {
  ChangeRoom: MethodDefinition<_imcluster_logic_ChangeRoomReq, _imcluster_logic_ChangeRoomReply, _imcluster_logic_ChangeRoomReq__Output, _imcluster_logic_ChangeRoomReply__Output>
  Chat: MethodDefinition<_imcluster_logic_ChatReq, _imcluster_logic_ChatReply, _imcluster_logic_ChatReq__Output, _imcluster_logic_ChatReply__Output>
  Connect: MethodDefinition<_imcluster_logic_ConnectReq, _imcluster_logic_ConnectReply, _imcluster_logic_ConnectReq__Output, _imcluster_logic_ConnectReply__Output>
  DisconnectMany: MethodDefinition<_imcluster_logic_DisconnectManyReq, _imcluster_logic_DisconnectManyReply, _imcluster_logic_DisconnectManyReq__Output, _imcluster_logic_DisconnectManyReply__Output>
  Heartbeat: MethodDefinition<_imcluster_logic_HeartbeatReq, _imcluster_logic_HeartbeatReply, _imcluster_logic_HeartbeatReq__Output, _imcluster_logic_HeartbeatReply__Output>
  Push: MethodDefinition<_imcluster_push_PushMsg, _imcluster_logic_PushReply, _imcluster_push_PushMsg__Output, _imcluster_logic_PushReply__Output>
  RefreshToken: MethodDefinition<_imcluster_logic_RefreshTokenReq, _imcluster_logic_RefreshTokenReply, _imcluster_logic_RefreshTokenReq__Output, _imcluster_logic_RefreshTokenReply__Output>
  RenewOnline: MethodDefinition<_imcluster_logic_RenewOnlineReq, _imcluster_logic_RenewOnlineReply, _imcluster_logic_RenewOnlineReq__Output, _imcluster_logic_RenewOnlineReply__Output>
}
