/**
 * The wire framing of docs/protocol.md on plain Uint8Arrays (no Node Buffer, so it runs in
 * browsers): a 16-byte big-endian header packLen u32 | headerLen u16 (16) | ver u16 | op u32 |
 * seq u32, then the body.
 */
export const HEADER_LEN = 16;

/** Refuses absurd packets from a broken server instead of buffering them; far above any batch. */
const MAX_PACKET = 16 * 1024 * 1024;

export interface Packet {
  ver: number;
  op: number;
  seq: number;
  body: Uint8Array;
}

export const utf8 = new TextEncoder();
const text = new TextDecoder();

export function decodeText(body: Uint8Array): string {
  return text.decode(body);
}

export function encodePacket(op: number, seq: number, body: Uint8Array | string = '', ver = 1): Uint8Array {
  const bytes = typeof body === 'string' ? utf8.encode(body) : body;
  const out = new Uint8Array(HEADER_LEN + bytes.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, out.length);
  view.setUint16(4, HEADER_LEN);
  view.setUint16(6, ver);
  view.setUint32(8, op);
  view.setUint32(12, seq);
  out.set(bytes, HEADER_LEN);
  return out;
}

export class FramingError extends Error {}

/** The packet length announced by the header at `at`, checked before its body is awaited. */
function packLenAt(view: DataView, at: number): number {
  const packLen = view.getUint32(at);
  if (view.getUint16(at + 4) !== HEADER_LEN || packLen < HEADER_LEN || packLen > MAX_PACKET) {
    throw new FramingError(`bad packet header (packLen ${packLen})`);
  }
  return packLen;
}

/**
 * Reads the whole packets at the start of `bytes`; returns them and how many bytes they took
 * (a trailing partial packet is left for the caller).
 */
function readPackets(bytes: Uint8Array, out: Packet[]): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (bytes.length - at >= HEADER_LEN) {
    const end = at + packLenAt(view, at);
    if (end > bytes.length) break;
    out.push({ ver: view.getUint16(at + 6), op: view.getUint32(at + 8), seq: view.getUint32(at + 12), body: bytes.subarray(at + HEADER_LEN, end) });
    at = end;
  }
  return at;
}

/** Splits bytes that hold whole packets only: an op-9 batch body or a decompressed Bilibili body. */
export function splitPackets(bytes: Uint8Array): Packet[] {
  const out: Packet[] = [];
  if (readPackets(bytes, out) !== bytes.length) throw new FramingError('batch ends inside a packet');
  return out;
}

/**
 * Incremental reader for a byte stream (TCP), also fed WebSocket messages (each holds whole
 * packets). A partial packet's chunks are kept as a list and joined once, so a large packet that
 * arrives in many chunks is not copied again on every chunk.
 */
export class PacketReader {
  #parts: Uint8Array[] = [];
  #held = 0;
  /** Bytes needed before the held parts can yield a packet (a header, or the announced packet). */
  #need = HEADER_LEN;

  push(chunk: Uint8Array): Packet[] {
    const out: Packet[] = [];
    if (this.#held === 0) return this.#consume(chunk, out);
    this.#parts.push(chunk);
    this.#held += chunk.length;
    if (this.#held < this.#need) return out;
    const joined = new Uint8Array(this.#held);
    let at = 0;
    for (const part of this.#parts) {
      joined.set(part, at);
      at += part.length;
    }
    this.#parts = [];
    this.#held = 0;
    return this.#consume(joined, out);
  }

  #consume(bytes: Uint8Array, out: Packet[]): Packet[] {
    const used = readPackets(bytes, out);
    if (used === bytes.length) return out;
    const rest = bytes.subarray(used);
    this.#parts = [rest];
    this.#held = rest.length;
    this.#need = rest.length < HEADER_LEN ? HEADER_LEN : packLenAt(new DataView(rest.buffer, rest.byteOffset, rest.byteLength), 0);
    return out;
  }
}
