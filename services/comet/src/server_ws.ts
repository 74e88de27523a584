import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, decodePackets, ProtocolError } from '@imcluster/protocol';
import { dropFailedHandshakes, type CometTls } from './tls.ts';
import type { Session } from './session.ts';
import type { Transport } from './transport.ts';

/** A WebSocket message may carry a few whole packets back to back. */
const PACKETS_PER_MESSAGE = 4;

/**
 * Pre-framed binary frames are written straight to the upgraded socket: ws itself only writes
 * control frames, and with permessage-deflate off it never holds data of its own, so the order of
 * bytes on the wire is the order of calls.
 */
class WsTransport implements Transport {
  readonly kind = 'ws' as const;
  readonly remoteAddress: string;
  readonly #ws: WebSocket;
  readonly #socket: Duplex;

  constructor(ws: WebSocket, socket: Duplex, remoteAddress: string) {
    this.#ws = ws;
    this.#socket = socket;
    this.remoteAddress = remoteAddress;
  }

  write(bytes: Buffer): void {
    if (this.#ws.readyState === this.#ws.OPEN) this.#socket.write(bytes);
  }

  buffered(): number {
    return this.#socket.writableLength;
  }

  onDrain(listener: () => void): void {
    this.#socket.on('drain', listener);
  }

  pause(): void {
    this.#ws.pause();
  }

  resume(): void {
    this.#ws.resume();
  }

  close(code: number, reason: string): void {
    this.#ws.resume(); // a paused connection must still read the client's close frame
    this.#ws.close(code, reason.slice(0, 120));
  }

  destroy(): void {
    this.#ws.terminate();
  }
}

/**
 * WebSocket on /sub: binary messages, each holding one or more whole packets; `wss://` when
 * `secure` is given (a client that does not finish its TLS handshake in `handshakeMs` is dropped).
 *
 * No client tracking: the hub holds the connections; ws's own Set (and its close listener per
 * socket) would only cost memory.
 */
export function createWsServer(accept: (transport: Transport) => Session, maxBody: number, secure?: CometTls, handshakeMs?: number): http.Server {
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: PACKETS_PER_MESSAGE * (maxBody + 16) });
  const upgradeOnly = (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(426, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'upgrade to WebSocket on /sub' }));
  };
  const server = secure ? https.createServer({ ...secure, handshakeTimeout: handshakeMs }, upgradeOnly) : http.createServer(upgradeOnly);
  if (secure) dropFailedHandshakes(server as https.Server);
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/sub') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const remoteAddress = req.socket.remoteAddress ?? '';
    wss.handleUpgrade(req, socket, head, (ws) => attach(accept(new WsTransport(ws, socket, remoteAddress)), ws, maxBody));
  });
  return server;
}

/**
 * Wires a connection's events to its session. A function of its own so that the listeners,
 * which live as long as the connection, do not keep the upgrade request (its headers) and the
 * handshake's head buffer alive through a shared closure scope.
 */
function attach(session: Session, ws: WebSocket, maxBody: number): void {
  ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) return session.close(CloseCode.BAD_PACKET, 'binary messages only');
    try {
      session.onPackets(decodePackets(data, maxBody));
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      session.onProtocolError(error);
    }
  });
  ws.on('error', ignore); // ws closes with 1009/1002 itself; 'close' follows
  ws.on('close', () => session.onTransportClosed());
}

function ignore(): void {}
