import { decodeText, type Packet } from './codec.ts';

/**
 * A live push. `room`: a room message (from an op-9 batch), or any message on a Bilibili-dialect
 * connection. `direct`: a single packet, either a push to this connection or its user (its op
 * passed the accept filter) or a broadcast; the wire does not tell these two apart.
 */
export interface Push {
  op: number;
  body: Uint8Array;
  kind: 'room' | 'direct';
  /** The room the connection was in when the push arrived ('' for none). */
  room: string;
  text(): string;
  json<T = unknown>(): T;
}

export function toPush(packet: Packet, kind: Push['kind'], room: string): Push {
  const body = packet.body;
  return { op: packet.op, body, kind, room, text: () => decodeText(body), json: <T>() => JSON.parse(decodeText(body)) as T };
}

/**
 * Inflates a compressed Bilibili batch: 'deflate' is zlib data (RFC 1950, protover 2), 'brotli'
 * brotli data (protover 3). May answer synchronously (node:zlib) or with a promise.
 */
export type Decompress = (format: 'deflate' | 'brotli', data: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/**
 * The platform's Compression Streams API (browsers, Node 18+). Every current browser inflates
 * 'deflate'; 'brotli' only where DecompressionStream accepts it (supportsBrotli() tells).
 */
export async function streamDecompress(format: 'deflate' | 'brotli', data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream(format as CompressionFormat));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** True when this platform's DecompressionStream can read brotli (protover 3). */
export function supportsBrotli(): boolean {
  try {
    new DecompressionStream('brotli' as CompressionFormat);
    return true;
  } catch {
    return false;
  }
}
