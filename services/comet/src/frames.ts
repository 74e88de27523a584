import { encodeBili, encodeRoomBatch, encodeSingle, type OutMessage } from '@imcluster/protocol';
import type { Channel } from './channel.ts';
import { wsBinaryFrame } from './transport.ts';

type Encoder = (dialect: Channel['identity']['dialect'], protover: number) => Buffer;

/**
 * The bytes of one push for every kind of receiver, built lazily and at most once per
 * (transport, dialect, protover): a batch reaching 10,000 sockets is encoded, compressed and
 * framed a handful of times, then the same Buffer is written to each socket.
 */
export class FrameCache {
  #encode: Encoder;
  #payloads = new Map<string, Buffer>();
  #frames = new Map<string, Buffer>();
  #goim: Buffer | undefined;
  #goimWs: Buffer | undefined;

  constructor(encode: Encoder) {
    this.#encode = encode;
  }

  static forRoomBatch(msgs: OutMessage[]): FrameCache {
    return new FrameCache((dialect, protover) => (dialect === 'goim' ? encodeRoomBatch(msgs) : encodeBili(msgs, protover)));
  }

  static forMessage(msg: OutMessage): FrameCache {
    return new FrameCache((dialect, protover) => encodeSingle(msg, dialect, protover));
  }

  frameFor(channel: Channel): Buffer {
    const { dialect, protover } = channel.identity;
    // goim clients ignore protover; one variant serves them all. It is the common case of a room
    // fan-out, so it skips the keyed lookup (no string is built per socket).
    if (dialect === 'goim') {
      this.#goim ??= this.#encode(dialect, protover);
      return channel.transport.kind === 'ws' ? (this.#goimWs ??= wsBinaryFrame(this.#goim)) : this.#goim;
    }
    const payloadKey = `bili:${protover}`;
    const frameKey = `${channel.transport.kind}:${payloadKey}`;
    let frame = this.#frames.get(frameKey);
    if (frame) return frame;
    let payload = this.#payloads.get(payloadKey);
    if (!payload) this.#payloads.set(payloadKey, (payload = this.#encode(dialect, protover)));
    frame = channel.transport.kind === 'ws' ? wsBinaryFrame(payload) : payload;
    this.#frames.set(frameKey, frame);
    return frame;
  }
}
