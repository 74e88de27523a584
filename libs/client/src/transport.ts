import { ClientError } from './errors.ts';

/** What a transport reports about one socket; `close` is called exactly once. */
export interface SocketHandlers {
  open(): void;
  data(chunk: Uint8Array): void;
  /** `code` is the WebSocket close code, or 1006 when the connection ended without one. */
  close(code: number, reason: string): void;
}

export interface Socket {
  send(bytes: Uint8Array): void;
  /** Ends the socket at once (no handler is called afterwards). */
  close(): void;
}

/**
 * A way to reach a comet. `kind` tells which addresses of logic's node list it takes (`ws://.../sub`
 * URLs or `host:port` TCP addresses).
 */
export interface Transport {
  readonly kind: 'ws' | 'tcp';
  connect(url: string, handlers: SocketHandlers): Socket;
}

/** The part of the WHATWG WebSocket API the SDK uses; browsers', Node 22+'s and `ws`'s all fit. */
export interface WebSocketLike {
  binaryType: string;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: drops the connection without waiting for the closing handshake. */
  terminate?(): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/**
 * WebSocket transport: binary messages, each carrying whole packets. A text message is not part
 * of the protocol and is ignored.
 */
export function webSocketTransport(WebSocketImpl?: WebSocketConstructor): Transport {
  const Impl = WebSocketImpl ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!Impl) throw new ClientError('TRANSPORT_UNAVAILABLE', 'no WebSocket implementation: pass one (e.g. the `ws` package) or use @imcluster/client/node');
  return {
    kind: 'ws',
    connect(url, handlers) {
      const ws = new Impl(url);
      ws.binaryType = 'arraybuffer';
      // onerror stays set: `ws` throws an 'error' event nobody listens to (e.g. after terminate()).
      const detach = () => {
        ws.onopen = ws.onmessage = ws.onclose = null;
      };
      ws.onopen = () => handlers.open();
      ws.onmessage = (event) => {
        if (event.data instanceof ArrayBuffer) handlers.data(new Uint8Array(event.data));
        else if (ArrayBuffer.isView(event.data)) handlers.data(new Uint8Array(event.data.buffer, event.data.byteOffset, event.data.byteLength));
      };
      ws.onclose = (event) => {
        detach();
        handlers.close(event.code, event.reason);
      };
      ws.onerror = () => undefined; // a close event follows
      return {
        send: (bytes) => ws.send(bytes),
        close() {
          detach();
          // `ws` would keep the socket (and a 30 s timer) until the peer answers the close frame.
          if (ws.terminate) ws.terminate();
          else ws.close(1000);
        },
      };
    },
  };
}
