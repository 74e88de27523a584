import net from 'node:net';
import type { Transport } from './transport.ts';

/**
 * Raw TCP to a comet's TCP port (Node only): addresses `host:port` or `tcp://host:port`, the same
 * packets as on WebSocket, as a byte stream. TCP has no close code: the server's op-6 packet before
 * the close carries it, and a close without one counts as 1006.
 */
export function tcpTransport(): Transport {
  return {
    kind: 'tcp',
    connect(url, handlers) {
      const { hostname, port } = new URL(url.includes('://') ? url : `tcp://${url}`);
      const socket = net.connect({ host: hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(port), noDelay: true });
      let ended = false;
      socket.on('connect', () => handlers.open());
      socket.on('data', (chunk: Buffer) => handlers.data(chunk));
      socket.on('error', () => undefined); // 'close' follows
      socket.on('close', () => {
        if (ended) return;
        ended = true;
        handlers.close(1006, 'connection closed');
      });
      return {
        send: (bytes) => void socket.write(bytes),
        close() {
          ended = true;
          socket.destroy();
        },
      };
    },
  };
}
