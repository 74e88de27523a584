import net from 'node:net';
import tls from 'node:tls';
import { PacketDecoder, ProtocolError } from '@imcluster/protocol';
import { dropFailedHandshakes, type CometTls } from './tls.ts';
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
    // Read (and ignore) what the client still sends: unread bytes would turn the close into a reset
    // that can discard the op-6 packet before the client reads it.
    this.#socket.resume();
    this.#socket.end();
    setTimeout(() => this.#socket.destroy(), CLOSE_LINGER_MS).unref();
  }

  destroy(): void {
    this.#socket.destroy();
  }
}

/**
 * Raw TCP: the packets as a byte stream, reassembled across partial and coalesced reads; over TLS
 * when `secure` is given (a client that does not finish its handshake in `handshakeMs` is dropped).
 */
export function createTcpServer(accept: (transport: Transport) => Session, maxBody: number, secure?: CometTls, handshakeMs?: number): net.Server {
  const server = secure ? secureServer(secure, handshakeMs) : net.createServer({ noDelay: true });
  return server.on(secure ? 'secureConnection' : 'connection', (socket: net.Socket) => {
    socket.setKeepAlive(true, 60_000);
    attach(accept(new TcpTransport(socket)), socket, new PacketDecoder(maxBody));
  });
}

/** Wires a connection's events to its session; the listeners share only what they use. */
function attach(session: Session, socket: net.Socket, decoder: PacketDecoder): void {
  socket.on('data', (chunk: Buffer) => {
    try {
      session.onPackets(decoder.push(chunk));
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      session.onProtocolError(error); // later chunks throw the same error at once and are ignored
    }
  });
  socket.on('error', ignore); // 'close' follows; nothing to add
  socket.on('close', () => session.onTransportClosed());
}

function ignore(): void {}

function secureServer(secure: CometTls, handshakeMs?: number): tls.Server {
  const server = tls.createServer({ ...secure, noDelay: true, handshakeTimeout: handshakeMs });
  dropFailedHandshakes(server);
  return server;
}
