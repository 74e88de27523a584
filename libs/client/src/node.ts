// The Node entry: everything the browser entry has, plus raw TCP, node:zlib for compressed
// Bilibili batches (both zlib and brotli, synchronously), and `ws` where Node has no global
// WebSocket (before Node 22).
import { brotliDecompressSync, inflateSync } from 'node:zlib';
import { createClient as createBrowserClient, type ClientOptions, type ImClient } from './client.ts';
import type { Decompress } from './pushes.ts';
import { webSocketTransport, type Transport, type WebSocketConstructor } from './transport.ts';
import { tcpTransport } from './transport_tcp.ts';

export * from './index.ts';
export { tcpTransport };

/** `ws` is an optional peer dependency: only loaded when the platform has no WebSocket. */
const NodeWebSocket: WebSocketConstructor | undefined =
  (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket ??
  (await import('ws').then(
    (m) => m.default as unknown as WebSocketConstructor,
    () => undefined,
  ));

export const nodeDecompress: Decompress = (format, data) => (format === 'deflate' ? inflateSync(data) : brotliDecompressSync(data));

export interface NodeClientOptions extends Omit<ClientOptions, 'transport'> {
  /** 'ws' (default) or 'tcp', or a transport of your own. */
  transport?: 'ws' | 'tcp' | Transport;
}

/** createClient() with Node's defaults: WebSocket (global or `ws`) or TCP, node:zlib. */
export function createClient(options: NodeClientOptions): ImClient {
  const transport = options.transport === 'tcp' ? tcpTransport() : typeof options.transport === 'object' ? options.transport : webSocketTransport(NodeWebSocket);
  return createBrowserClient({ decompress: nodeDecompress, ...options, transport });
}
