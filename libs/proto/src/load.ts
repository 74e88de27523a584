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

/** The contracts read from proto/: gRPC service constructors and the Kafka message type. */
export interface Protos {
  CometService: CometProto['imcluster']['comet']['Comet'];
  LogicService: LogicProto['imcluster']['logic']['Logic'];
  PushMsg: protobuf.Type;
}

let protos: Protos | undefined;

/**
 * Reads and compiles proto/ (about a tenth of a second) once per process. Each main calls it at
 * start, so the cost and any missing file show there; later calls, and the helpers below, reuse it.
 */
export function loadProtos(): Protos {
  protos ??= {
    CometService: loadGrpc<CometProto>('comet.proto').imcluster.comet.Comet,
    LogicService: loadGrpc<LogicProto>('logic.proto').imcluster.logic.Logic,
    // Kafka messages are plain protobuf, encoded without gRPC.
    PushMsg: protobuf.loadSync(`${protoDir}push.proto`).lookupType('imcluster.push.PushMsg'),
  };
  return protos;
}

export function encodePushMsg(msg: PushMsg): Buffer {
  const { PushMsg } = loadProtos();
  // fromObject (unlike verify) accepts enum names, which is how our typed objects carry them.
  return Buffer.from(PushMsg.encode(PushMsg.fromObject(msg)).finish());
}

export function decodePushMsg(bytes: Uint8Array): PushMsg__Output {
  const { PushMsg } = loadProtos();
  const decoded = PushMsg.decode(bytes);
  return PushMsg.toObject(decoded, { longs: Number, enums: String, defaults: true, arrays: true, bytes: Buffer }) as PushMsg__Output;
}
