/**
 * The byte pipe under one client connection. TCP writes packets as they are; WebSocket writes
 * pre-built binary frames straight to its socket, so both take the same shared Buffer per batch.
 */
export interface Transport {
  readonly kind: 'tcp' | 'ws';
  /** The client's IP address as this comet sees it ("" once the socket is gone); a connect proxy is told it. */
  readonly remoteAddress: string;
  /** Writes already-framed bytes for this transport. */
  write(bytes: Buffer): void;
  /** Bytes accepted by write() but not yet handed to the kernel. */
  buffered(): number;
  /** Registers the one listener called whenever the buffer has drained. */
  onDrain(listener: () => void): void;
  /** Stops reading from the client (back-pressure) until resume(). */
  pause(): void;
  resume(): void;
  /** Closes with a close code (WebSocket close frame; TCP ends after the op-6 packet already written). */
  close(code: number, reason: string): void;
  /** Drops the connection at once. */
  destroy(): void;
}

/**
 * Wraps a payload in one unmasked, final, binary WebSocket frame (RFC 6455 §5.2), so a batch is
 * framed once and the same bytes go to every WebSocket receiver.
 */
export function wsBinaryFrame(payload: Buffer): Buffer {
  const len = payload.length;
  const headerLen = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLen + len);
  frame[0] = 0x82; // FIN + binary opcode
  if (len < 126) {
    frame[1] = len;
  } else if (len < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(len, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(len), 2);
  }
  payload.copy(frame, headerLen);
  return frame;
}

/** Frames a packet for the transport it goes out on. */
export function frameFor(transport: Transport, packet: Buffer): Buffer {
  return transport.kind === 'ws' ? wsBinaryFrame(packet) : packet;
}
