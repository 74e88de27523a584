import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';
import type { ProtoGrpcType as CometProto } from './generated/comet.ts';
import type { ProtoGrpcType as LogicProto } from './generated/logic.ts';
import type { PushMsg, PushMsg__Output } from './generated/imcluster/push/PushMsg.ts';

/** proto/ at the repository root: the single source of every contract. */
const protoDir = fileURLToPath(new URL('../../../proto/', import.meta.url));

// Must match the generator options in scripts/proto-gen.mjs so the generated types are true.
const loaderOptions: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [protoDir],
};

function loadGrpc<T>(file: string): T {
  const definition = protoLoader.loadSync(file, loaderOptions);
  return grpc.loadPackageDefinition(definition) as unknown as T;
}

const cometProto = loadGrpc<CometProto>('comet.proto');
const logicProto = loadGrpc<LogicProto>('logic.proto');

export const CometService = cometProto.imcluster.comet.Comet;
export const LogicService = logicProto.imcluster.logic.Logic;

// Kafka messages are plain protobuf, encoded without gRPC.
const pushRoot = protobuf.loadSync(`${protoDir}push.proto`);
const PushMsgType = pushRoot.lookupType('imcluster.push.PushMsg');

export function encodePushMsg(msg: PushMsg): Buffer {
  // fromObject (unlike verify) accepts enum names, which is how our typed objects carry them.
  return Buffer.from(PushMsgType.encode(PushMsgType.fromObject(msg)).finish());
}

export function decodePushMsg(bytes: Uint8Array): PushMsg__Output {
  const decoded = PushMsgType.decode(bytes);
  return PushMsgType.toObject(decoded, { longs: Number, enums: String, defaults: true, arrays: true, bytes: Buffer }) as PushMsg__Output;
}
