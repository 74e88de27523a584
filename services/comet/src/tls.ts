import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type tls from 'node:tls';

/** Files of IM_COMET_TLS_DIR, named as in a Kubernetes TLS secret. */
export const TLS_FILES = ['tls.crt', 'tls.key'] as const;

/** The certificate chain and key client listeners terminate TLS with, read once at start (renewals need a restart). */
export interface CometTls {
  cert: Buffer;
  key: Buffer;
}

/**
 * Drops a connection whose TLS handshake failed or timed out (`handshakeTimeout`): Node only
 * reports it, and such a socket has no session, so the auth sweep would never close it.
 */
export function dropFailedHandshakes(server: tls.Server): void {
  server.on('tlsClientError', (_error, socket) => socket.destroy());
}

export function readTls(dir: string): CometTls {
  const [cert, key] = TLS_FILES.map((f) => readFileSync(join(dir, f))) as [Buffer, Buffer];
  return { cert, key };
}
