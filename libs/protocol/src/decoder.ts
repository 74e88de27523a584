import { HEADER_LEN, checkHeader } from './header.ts';
import type { ProtocolError } from './errors.ts';
import type { Packet } from './packet.ts';

/**
 * Incremental decoder for a TCP byte stream. Keeps views into the pushed chunks (a body that lies
 * inside one chunk is never copied), so callers must not reuse a chunk's memory afterwards (e.g.
 * a socket `onread` with a static buffer).
 *
 * State: either collecting a header (`#headFill` < 16) or collecting the body of a validated header.
 * A body split over several chunks is concatenated once, when complete, so a big packet arriving
 * in many small chunks costs O(n), not O(n^2).
 */
export class PacketDecoder {
  readonly #maxBodySize: number;
  /**
   * Scratch for a header split across chunks; allocated the first time one is (a decoder lives as
   * long as its connection, and most connections never split a header).
   */
  #head: Buffer | undefined;
  #headFill = 0;
  /** -1 while collecting a header; otherwise the body length of the current packet. */
  #bodyLen = -1;
  #ver = 0;
  #op = 0;
  #seq = 0;
  #bodyParts: Buffer[] = [];
  #bodyFill = 0;
  #error: ProtocolError | undefined;

  constructor(maxBodySize: number) {
    this.#maxBodySize = maxBodySize;
  }

  /** Bytes held for the packet in progress (partial header or body). */
  get pending(): number {
    return this.#bodyLen < 0 ? this.#headFill : HEADER_LEN + this.#bodyFill;
  }

  /**
   * Returns every packet completed by `chunk`. Throws ProtocolError on a bad header (before its body
   * is buffered); packets completed earlier in the same chunk are dropped with it, and every later
   * call throws the same error, since framing is lost.
   */
  push(chunk: Buffer): Packet[] {
    if (this.#error) throw this.#error;
    const out: Packet[] = [];
    let pos = 0;
    try {
      for (;;) {
        if (this.#bodyLen < 0) {
          pos = this.#readHeader(chunk, pos);
          if (this.#bodyLen < 0) return out;
        }
        pos = this.#readBody(chunk, pos, out);
        if (this.#bodyLen >= 0) return out;
        if (pos === chunk.length) return out;
      }
    } catch (err) {
      this.#error = err as ProtocolError;
      throw err;
    }
  }

  /** Consumes header bytes from `chunk` at `pos`; on a complete header, validates it and enters body state. */
  #readHeader(chunk: Buffer, pos: number): number {
    let src: Buffer;
    let at: number;
    if (this.#headFill === 0 && chunk.length - pos >= HEADER_LEN) {
      src = chunk; // common case: the whole header is in this chunk, read it in place
      at = pos;
      pos += HEADER_LEN;
    } else {
      const head = (this.#head ??= Buffer.alloc(HEADER_LEN));
      const copied = chunk.copy(head, this.#headFill, pos, pos + HEADER_LEN - this.#headFill);
      this.#headFill += copied;
      pos += copied;
      if (this.#headFill < HEADER_LEN) return pos;
      this.#headFill = 0;
      src = head;
      at = 0;
    }
    this.#bodyLen = checkHeader(src, at, this.#maxBodySize) - HEADER_LEN;
    this.#ver = src.readUInt16BE(at + 6);
    this.#op = src.readUInt32BE(at + 8);
    this.#seq = src.readUInt32BE(at + 12);
    return pos;
  }

  /** Consumes body bytes; emits the packet when its body is complete and returns to header state. */
  #readBody(chunk: Buffer, pos: number, out: Packet[]): number {
    const need = this.#bodyLen - this.#bodyFill;
    let body: Buffer;
    if (this.#bodyFill === 0 && chunk.length - pos >= need) {
      body = chunk.subarray(pos, pos + need); // whole body in this chunk: no copy
      pos += need;
    } else {
      const take = Math.min(need, chunk.length - pos);
      if (take > 0) this.#bodyParts.push(chunk.subarray(pos, pos + take));
      this.#bodyFill += take;
      pos += take;
      if (this.#bodyFill < this.#bodyLen) return pos;
      body = Buffer.concat(this.#bodyParts, this.#bodyLen);
      this.#bodyParts = [];
      this.#bodyFill = 0;
    }
    out.push({ ver: this.#ver, op: this.#op, seq: this.#seq, body });
    this.#bodyLen = -1;
    return pos;
  }
}
