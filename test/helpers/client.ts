import net from 'node:net';
import tls from 'node:tls';
import { once } from 'node:events';
import { brotliDecompressSync, inflateSync } from 'node:zlib';
import WebSocket from 'ws';
import { decodePackets, encodePacket, Op, PacketDecoder, unpackBatch, type Packet } from '@imcluster/protocol';

const MAX = 16 * 1024 * 1024;

/** Business messages inside a received packet: op-9 batches and compressed bili packets are opened. */
export function unwrap(packet: Packet): Packet[] {
  if (packet.op === Op.Raw) return unpackBatch(packet.body, MAX).flatMap(unwrap);
  if (packet.ver === 2) return unpackBatch(inflateSync(packet.body), MAX).flatMap(unwrap);
  if (packet.ver === 3) return unpackBatch(brotliDecompressSync(packet.body), MAX).flatMap(unwrap);
  return [packet];
}

/**
 * A client of either transport speaking the wire protocol, for tests and benchmarks: it records
 * every packet, the close code (WebSocket close frame or the op-6 body on TCP) and lets a test wait
 * for what it expects.
 */
export class TestClient {
  readonly received: Packet[] = [];
  /** Business messages (ops >= 1000 and op 5), unwrapped from batches, in arrival order. */
  readonly messages: Packet[] = [];
  closeCode?: number;
  disconnectBody?: { code: number; reason: string };
  readonly closed: Promise<void>;
  #cursor = 0;
  #seq = 0;
  #write: (bytes: Buffer) => void;
  #end: () => void;

  private constructor(write: (bytes: Buffer) => void, end: () => void, closed: Promise<void>) {
    this.#write = write;
    this.#end = end;
    this.closed = closed;
  }

  /** `secure`: connect with wss://, trusting the certificates signed by `secure.ca`. */
  static async ws(address: string, path = '/sub', secure?: { ca: Buffer }): Promise<TestClient> {
    const ws = new WebSocket(`${secure ? 'wss' : 'ws'}://${address}${path}`, { perMessageDeflate: false, ...secure });
    const closed = once(ws, 'close').then(([code]) => {
      client.closeCode ??= code as number;
    });
    const client: TestClient = new TestClient((b) => ws.send(b), () => ws.close(), closed);
    ws.on('message', (data: Buffer) => client.#onPackets(decodePackets(data, MAX)));
    ws.on('error', () => undefined);
    await once(ws, 'open');
    return client;
  }

  /** `secure`: TLS over the TCP connection, trusting the certificates signed by `secure.ca`. */
  static async tcp(address: string, secure?: { ca: Buffer }): Promise<TestClient> {
    const [host, port] = address.split(':');
    const socket = secure ? tls.connect({ port: Number(port), host, ...secure }) : net.connect(Number(port), host);
    const decoder = new PacketDecoder(MAX);
    const closed = once(socket, 'close').then(() => undefined);
    const client = new TestClient((b) => socket.write(b), () => socket.end(), closed);
    socket.on('data', (chunk: Buffer) => client.#onPackets(decoder.push(chunk)));
    socket.on('error', () => undefined);
    await once(socket, secure ? 'secureConnect' : 'connect');
    return client;
  }

  static connect(kind: 'ws' | 'tcp', address: string): Promise<TestClient> {
    return kind === 'ws' ? TestClient.ws(address) : TestClient.tcp(address);
  }

  send(op: number, body: Buffer | string = Buffer.alloc(0), ver = 1): number {
    const seq = ++this.#seq;
    this.#write(encodePacket({ op, seq, ver, body }));
    return seq;
  }

  sendRaw(bytes: Buffer): void {
    this.#write(bytes);
  }

  close(): void {
    this.#end();
  }

  /** The next received packet (in order) that matches; earlier non-matching ones are skipped. */
  async next(match: number | ((p: Packet) => boolean), timeoutMs = 10_000): Promise<Packet> {
    const test = typeof match === 'number' ? (p: Packet) => p.op === match : match;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.#cursor < this.received.length) {
        const packet = this.received[this.#cursor++]!;
        if (test(packet)) return packet;
      }
      if (Date.now() > deadline) throw new Error(`no matching packet within ${timeoutMs} ms (received ops: ${this.received.map((p) => p.op).join(',')})`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Sends op 7 with `body` and resolves with the parsed op-8 reply. */
  async auth(body: object | string): Promise<{ code: number; key?: string; mid?: number; room?: string; message?: string }> {
    this.send(Op.Auth, typeof body === 'string' ? body : JSON.stringify(body));
    const reply = await this.next(Op.AuthReply);
    return JSON.parse(reply.body.toString('utf8'));
  }

  /** Sends a heartbeat and resolves with the room online count of the reply. */
  async heartbeat(): Promise<number> {
    const seq = this.send(Op.Heartbeat);
    const reply = await this.next((p) => p.op === Op.HeartbeatReply && p.seq === seq);
    return reply.body.readUInt32BE(0);
  }

  async waitForMessages(count: number, timeoutMs = 15_000): Promise<Packet[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${this.messages.length}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.messages;
  }

  async waitClosed(timeoutMs = 10_000): Promise<number | undefined> {
    await Promise.race([this.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('connection not closed in time')), timeoutMs))]);
    return this.closeCode;
  }

  #onPackets(packets: Packet[]): void {
    for (const packet of packets) {
      this.received.push(packet);
      if (packet.op === Op.DisconnectReply) {
        this.disconnectBody = JSON.parse(packet.body.toString('utf8'));
        this.closeCode ??= this.disconnectBody!.code;
      }
      if (packet.op === Op.Raw || packet.op === Op.SendMsgReply || packet.op >= 1000) this.messages.push(...unwrap(packet));
    }
  }
}
