import net from 'node:net';
import { PacketDecoder, ProtocolError } from '@imcluster/protocol';
import type { Session } from './session.ts';
import type { Transport } from './transport.ts';

/** Time a closing TCP client gets to read its op-6 packet before the socket is destroyed. */
const CLOSE_LINGER_MS = 2000;

class TcpTransport implements Transport {
  readonly kind = 'tcp' as const;
  readonly remoteAddress: string;
  readonly #socket: net.Socket;

  constructor(socket: net.Socket) {
    this.#socket = socket;
    this.remoteAddress = socket.remoteAddress ?? '';
  }

  write(bytes: Buffer): void {
    if (this.#socket.writable) this.#socket.write(bytes);
  }

  buffered(): number {
    return this.#socket.writableLength;
  }

  onDrain(listener: () => void): void {
    this.#socket.on('drain', listener);
  }

  pause(): void {
    this.#socket.pause();
  }

  resume(): void {
    this.#socket.resume();
  }

  close(): void {
    this.#socket.end();
    setTimeout(() => this.#socket.destroy(), CLOSE_LINGER_MS).unref();
  }

  destroy(): void {
    this.#socket.destroy();
  }
}

/** Raw TCP: the packets as a byte stream, reassembled across partial and coalesced reads. */
export function createTcpServer(accept: (transport: Transport) => Session, maxBody: number): net.Server {
  return net.createServer({ noDelay: true }, (socket) => {
    socket.setKeepAlive(true, 60_000);
    const session = accept(new TcpTransport(socket));
    const decoder = new PacketDecoder(maxBody);
    socket.on('data', (chunk: Buffer) => {
      try {
        session.onPackets(decoder.push(chunk));
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        session.onProtocolError(error);
        socket.pause();
      }
    });
    socket.on('error', () => undefined); // 'close' follows; nothing to add
    socket.on('close', () => session.onTransportClosed());
  });
}
