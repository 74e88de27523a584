import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { secret, z } from '@imcluster/common';
import { grpcStatus } from './errors.ts';

/** Files of IM_GRPC_TLS_DIR, named as cert-manager and `kubectl create secret tls` name them. */
const TLS_FILES = ['ca.crt', 'tls.crt', 'tls.key'] as const;

/** How the processes of one cluster recognise each other on gRPC; every role reads these. */
export const clusterSettings = z.object({
  /**
   * Sent with every internal gRPC call and checked by every gRPC server. Cluster mode requires it;
   * a standalone node, whose roles share one process, makes a random one at each start.
   */
  IM_CLUSTER_SECRET: secret(() => randomBytes(32).toString('hex')),
  /** Folder with ca.crt, tls.crt and tls.key: gRPC runs over mutual TLS with certificates signed by that CA. Unset: plaintext. */
  IM_GRPC_TLS_DIR: z
    .string()
    .refine((dir) => TLS_FILES.every((f) => existsSync(join(dir, f))), `a folder holding ${TLS_FILES.join(', ')}`)
    .optional(),
});

/** What a process shows its peers, and checks they show: the cluster secret, and certificates for mutual TLS. */
export interface ClusterCredentials {
  secret: string;
  tls?: { ca: Buffer; cert: Buffer; key: Buffer };
}

export function clusterCredentials(raw: z.infer<typeof clusterSettings>): ClusterCredentials {
  const dir = raw.IM_GRPC_TLS_DIR;
  if (!dir) return { secret: raw.IM_CLUSTER_SECRET };
  const [ca, cert, key] = TLS_FILES.map((f) => readFileSync(join(dir, f))) as [Buffer, Buffer, Buffer];
  return { secret: raw.IM_CLUSTER_SECRET, tls: { ca, cert, key } };
}

/** Metadata key of the cluster secret on every internal call. */
const SECRET_KEY = 'im-cluster-secret';

export function channelCredentials({ tls }: ClusterCredentials): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  // Peers are found by address in the registry (pod IPs come and go): being signed by the
  // cluster's own CA is the identity checked, not a host name.
  return grpc.credentials.createSsl(tls.ca, tls.key, tls.cert, { checkServerIdentity: () => undefined });
}

export function serverCredentials({ tls }: ClusterCredentials): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  return grpc.ServerCredentials.createSsl(tls.ca, [{ private_key: tls.key, cert_chain: tls.cert }], true);
}

/** A client interceptor that adds the cluster secret to every call. */
export function sendSecret({ secret }: ClusterCredentials): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set(SECRET_KEY, secret);
        next(metadata, listener);
      },
    });
}

/**
 * A server interceptor that answers every call without the cluster secret with UNAUTHENTICATED
 * (the table's status of UNAUTHORIZED) before any handler runs. It sends no error code: no handler
 * answered, and the caller reads it as UNAVAILABLE (see fromGrpcError). Digests of equal length
 * are compared in constant time, so the answer's timing says nothing about how much of a guess
 * was right.
 */
export function requireSecret({ secret }: ClusterCredentials): grpc.ServerInterceptor {
  const expected = digest(secret);
  return (_method, call) => {
    const listener = new grpc.ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        const sent = metadata.get(SECRET_KEY)[0];
        if (typeof sent === 'string' && timingSafeEqual(digest(sent), expected)) {
          metadata.remove(SECRET_KEY);
          return next(metadata);
        }
        call.sendStatus({ code: grpcStatus.UNAUTHORIZED, details: 'internal call without the cluster secret (IM_CLUSTER_SECRET)' });
      })
      .build();
    const responder = new grpc.ResponderBuilder().withStart((next) => next(listener)).build();
    return new grpc.ServerInterceptingCall(call, responder);
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
