import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { BroadcastReply as _imcluster_comet_BroadcastReply, BroadcastReply__Output as _imcluster_comet_BroadcastReply__Output } from './imcluster/comet/BroadcastReply.ts';
import type { BroadcastReq as _imcluster_comet_BroadcastReq, BroadcastReq__Output as _imcluster_comet_BroadcastReq__Output } from './imcluster/comet/BroadcastReq.ts';
import type { BroadcastRoomReply as _imcluster_comet_BroadcastRoomReply, BroadcastRoomReply__Output as _imcluster_comet_BroadcastRoomReply__Output } from './imcluster/comet/BroadcastRoomReply.ts';
import type { BroadcastRoomReq as _imcluster_comet_BroadcastRoomReq, BroadcastRoomReq__Output as _imcluster_comet_BroadcastRoomReq__Output } from './imcluster/comet/BroadcastRoomReq.ts';
import type { CometClient as _imcluster_comet_CometClient, CometDefinition as _imcluster_comet_CometDefinition } from './imcluster/comet/Comet.ts';
import type { DrainReply as _imcluster_comet_DrainReply, DrainReply__Output as _imcluster_comet_DrainReply__Output } from './imcluster/comet/DrainReply.ts';
import type { DrainReq as _imcluster_comet_DrainReq, DrainReq__Output as _imcluster_comet_DrainReq__Output } from './imcluster/comet/DrainReq.ts';
import type { KickReply as _imcluster_comet_KickReply, KickReply__Output as _imcluster_comet_KickReply__Output } from './imcluster/comet/KickReply.ts';
import type { KickReq as _imcluster_comet_KickReq, KickReq__Output as _imcluster_comet_KickReq__Output } from './imcluster/comet/KickReq.ts';
import type { Message as _imcluster_comet_Message, Message__Output as _imcluster_comet_Message__Output } from './imcluster/comet/Message.ts';
import type { PushKeysReply as _imcluster_comet_PushKeysReply, PushKeysReply__Output as _imcluster_comet_PushKeysReply__Output } from './imcluster/comet/PushKeysReply.ts';
import type { PushKeysReq as _imcluster_comet_PushKeysReq, PushKeysReq__Output as _imcluster_comet_PushKeysReq__Output } from './imcluster/comet/PushKeysReq.ts';
import type { PushStreamReply as _imcluster_comet_PushStreamReply, PushStreamReply__Output as _imcluster_comet_PushStreamReply__Output } from './imcluster/comet/PushStreamReply.ts';
import type { PushStreamReq as _imcluster_comet_PushStreamReq, PushStreamReq__Output as _imcluster_comet_PushStreamReq__Output } from './imcluster/comet/PushStreamReq.ts';
import type { StatsReply as _imcluster_comet_StatsReply, StatsReply__Output as _imcluster_comet_StatsReply__Output } from './imcluster/comet/StatsReply.ts';
import type { StatsReq as _imcluster_comet_StatsReq, StatsReq__Output as _imcluster_comet_StatsReq__Output } from './imcluster/comet/StatsReq.ts';
import type { ChatRef as _imcluster_push_ChatRef, ChatRef__Output as _imcluster_push_ChatRef__Output } from './imcluster/push/ChatRef.ts';
import type { PushMsg as _imcluster_push_PushMsg, PushMsg__Output as _imcluster_push_PushMsg__Output } from './imcluster/push/PushMsg.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  imcluster: {
    comet: {
      BroadcastReply: MessageTypeDefinition<_imcluster_comet_BroadcastReply, _imcluster_comet_BroadcastReply__Output>
      BroadcastReq: MessageTypeDefinition<_imcluster_comet_BroadcastReq, _imcluster_comet_BroadcastReq__Output>
      BroadcastRoomReply: MessageTypeDefinition<_imcluster_comet_BroadcastRoomReply, _imcluster_comet_BroadcastRoomReply__Output>
      BroadcastRoomReq: MessageTypeDefinition<_imcluster_comet_BroadcastRoomReq, _imcluster_comet_BroadcastRoomReq__Output>
      Comet: SubtypeConstructor<typeof grpc.Client, _imcluster_comet_CometClient> & { service: _imcluster_comet_CometDefinition }
      DrainReply: MessageTypeDefinition<_imcluster_comet_DrainReply, _imcluster_comet_DrainReply__Output>
      DrainReq: MessageTypeDefinition<_imcluster_comet_DrainReq, _imcluster_comet_DrainReq__Output>
      KickReply: MessageTypeDefinition<_imcluster_comet_KickReply, _imcluster_comet_KickReply__Output>
      KickReq: MessageTypeDefinition<_imcluster_comet_KickReq, _imcluster_comet_KickReq__Output>
      Message: MessageTypeDefinition<_imcluster_comet_Message, _imcluster_comet_Message__Output>
      PushKeysReply: MessageTypeDefinition<_imcluster_comet_PushKeysReply, _imcluster_comet_PushKeysReply__Output>
      PushKeysReq: MessageTypeDefinition<_imcluster_comet_PushKeysReq, _imcluster_comet_PushKeysReq__Output>
      PushStreamReply: MessageTypeDefinition<_imcluster_comet_PushStreamReply, _imcluster_comet_PushStreamReply__Output>
      PushStreamReq: MessageTypeDefinition<_imcluster_comet_PushStreamReq, _imcluster_comet_PushStreamReq__Output>
      StatsReply: MessageTypeDefinition<_imcluster_comet_StatsReply, _imcluster_comet_StatsReply__Output>
      StatsReq: MessageTypeDefinition<_imcluster_comet_StatsReq, _imcluster_comet_StatsReq__Output>
    }
    push: {
      ChatRef: MessageTypeDefinition<_imcluster_push_ChatRef, _imcluster_push_ChatRef__Output>
      PushMsg: MessageTypeDefinition<_imcluster_push_PushMsg, _imcluster_push_PushMsg__Output>
    }
  }
}

