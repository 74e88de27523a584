import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Alive as _imcluster_logic_Alive, Alive__Output as _imcluster_logic_Alive__Output } from './imcluster/logic/Alive.ts';
import type { ChangeRoomReply as _imcluster_logic_ChangeRoomReply, ChangeRoomReply__Output as _imcluster_logic_ChangeRoomReply__Output } from './imcluster/logic/ChangeRoomReply.ts';
import type { ChangeRoomReq as _imcluster_logic_ChangeRoomReq, ChangeRoomReq__Output as _imcluster_logic_ChangeRoomReq__Output } from './imcluster/logic/ChangeRoomReq.ts';
import type { ChatOp as _imcluster_logic_ChatOp, ChatOp__Output as _imcluster_logic_ChatOp__Output } from './imcluster/logic/ChatOp.ts';
import type { ChatReply as _imcluster_logic_ChatReply, ChatReply__Output as _imcluster_logic_ChatReply__Output } from './imcluster/logic/ChatReply.ts';
import type { ChatReq as _imcluster_logic_ChatReq, ChatReq__Output as _imcluster_logic_ChatReq__Output } from './imcluster/logic/ChatReq.ts';
import type { ConnectReply as _imcluster_logic_ConnectReply, ConnectReply__Output as _imcluster_logic_ConnectReply__Output } from './imcluster/logic/ConnectReply.ts';
import type { ConnectReq as _imcluster_logic_ConnectReq, ConnectReq__Output as _imcluster_logic_ConnectReq__Output } from './imcluster/logic/ConnectReq.ts';
import type { DisconnectManyReply as _imcluster_logic_DisconnectManyReply, DisconnectManyReply__Output as _imcluster_logic_DisconnectManyReply__Output } from './imcluster/logic/DisconnectManyReply.ts';
import type { DisconnectManyReq as _imcluster_logic_DisconnectManyReq, DisconnectManyReq__Output as _imcluster_logic_DisconnectManyReq__Output } from './imcluster/logic/DisconnectManyReq.ts';
import type { Gone as _imcluster_logic_Gone, Gone__Output as _imcluster_logic_Gone__Output } from './imcluster/logic/Gone.ts';
import type { HeartbeatReply as _imcluster_logic_HeartbeatReply, HeartbeatReply__Output as _imcluster_logic_HeartbeatReply__Output } from './imcluster/logic/HeartbeatReply.ts';
import type { HeartbeatReq as _imcluster_logic_HeartbeatReq, HeartbeatReq__Output as _imcluster_logic_HeartbeatReq__Output } from './imcluster/logic/HeartbeatReq.ts';
import type { LogicClient as _imcluster_logic_LogicClient, LogicDefinition as _imcluster_logic_LogicDefinition } from './imcluster/logic/Logic.ts';
import type { PushReply as _imcluster_logic_PushReply, PushReply__Output as _imcluster_logic_PushReply__Output } from './imcluster/logic/PushReply.ts';
import type { RefreshTokenReply as _imcluster_logic_RefreshTokenReply, RefreshTokenReply__Output as _imcluster_logic_RefreshTokenReply__Output } from './imcluster/logic/RefreshTokenReply.ts';
import type { RefreshTokenReq as _imcluster_logic_RefreshTokenReq, RefreshTokenReq__Output as _imcluster_logic_RefreshTokenReq__Output } from './imcluster/logic/RefreshTokenReq.ts';
import type { RenewOnlineReply as _imcluster_logic_RenewOnlineReply, RenewOnlineReply__Output as _imcluster_logic_RenewOnlineReply__Output } from './imcluster/logic/RenewOnlineReply.ts';
import type { RenewOnlineReq as _imcluster_logic_RenewOnlineReq, RenewOnlineReq__Output as _imcluster_logic_RenewOnlineReq__Output } from './imcluster/logic/RenewOnlineReq.ts';
import type { ChatRef as _imcluster_push_ChatRef, ChatRef__Output as _imcluster_push_ChatRef__Output } from './imcluster/push/ChatRef.ts';
import type { PushMsg as _imcluster_push_PushMsg, PushMsg__Output as _imcluster_push_PushMsg__Output } from './imcluster/push/PushMsg.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  imcluster: {
    logic: {
      Alive: MessageTypeDefinition<_imcluster_logic_Alive, _imcluster_logic_Alive__Output>
      ChangeRoomReply: MessageTypeDefinition<_imcluster_logic_ChangeRoomReply, _imcluster_logic_ChangeRoomReply__Output>
      ChangeRoomReq: MessageTypeDefinition<_imcluster_logic_ChangeRoomReq, _imcluster_logic_ChangeRoomReq__Output>
      ChatOp: MessageTypeDefinition<_imcluster_logic_ChatOp, _imcluster_logic_ChatOp__Output>
      ChatReply: MessageTypeDefinition<_imcluster_logic_ChatReply, _imcluster_logic_ChatReply__Output>
      ChatReq: MessageTypeDefinition<_imcluster_logic_ChatReq, _imcluster_logic_ChatReq__Output>
      ConnectReply: MessageTypeDefinition<_imcluster_logic_ConnectReply, _imcluster_logic_ConnectReply__Output>
      ConnectReq: MessageTypeDefinition<_imcluster_logic_ConnectReq, _imcluster_logic_ConnectReq__Output>
      DisconnectManyReply: MessageTypeDefinition<_imcluster_logic_DisconnectManyReply, _imcluster_logic_DisconnectManyReply__Output>
      DisconnectManyReq: MessageTypeDefinition<_imcluster_logic_DisconnectManyReq, _imcluster_logic_DisconnectManyReq__Output>
      Gone: MessageTypeDefinition<_imcluster_logic_Gone, _imcluster_logic_Gone__Output>
      HeartbeatReply: MessageTypeDefinition<_imcluster_logic_HeartbeatReply, _imcluster_logic_HeartbeatReply__Output>
      HeartbeatReq: MessageTypeDefinition<_imcluster_logic_HeartbeatReq, _imcluster_logic_HeartbeatReq__Output>
      Logic: SubtypeConstructor<typeof grpc.Client, _imcluster_logic_LogicClient> & { service: _imcluster_logic_LogicDefinition }
      PushReply: MessageTypeDefinition<_imcluster_logic_PushReply, _imcluster_logic_PushReply__Output>
      RefreshTokenReply: MessageTypeDefinition<_imcluster_logic_RefreshTokenReply, _imcluster_logic_RefreshTokenReply__Output>
      RefreshTokenReq: MessageTypeDefinition<_imcluster_logic_RefreshTokenReq, _imcluster_logic_RefreshTokenReq__Output>
      RenewOnlineReply: MessageTypeDefinition<_imcluster_logic_RenewOnlineReply, _imcluster_logic_RenewOnlineReply__Output>
      RenewOnlineReq: MessageTypeDefinition<_imcluster_logic_RenewOnlineReq, _imcluster_logic_RenewOnlineReq__Output>
    }
    push: {
      ChatRef: MessageTypeDefinition<_imcluster_push_ChatRef, _imcluster_push_ChatRef__Output>
      PushMsg: MessageTypeDefinition<_imcluster_push_PushMsg, _imcluster_push_PushMsg__Output>
    }
  }
}

