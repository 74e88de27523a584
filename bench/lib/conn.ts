import net from 'node:net';
import WebSocket from 'ws';
import { decodePackets, encodePacket, Op, PacketDecoder, type Packet } from '@imcluster/protocol';
import type { ClientCounts, CometAddr, Transport } from './ipc.ts';
import type { LatencyRecorder } from './latency.ts';
import { nowMs, sendTimeOf } from './payload.ts';

/** Batches can be far larger than a client's own packets; this only guards against garbage. */
const MAX_BODY = 16 * 1024 * 1024;
/** Distinct error texts kept per process; the rest are lumped together so memory stays bounded. */
const MAX_ERROR_KINDS = 50;

const HEARTBEAT = encodePacket({ op: Op.Heartbeat });

/** Where the counting of one client process goes; shared by all its connections. */
export interface Sink {
  runTag: number;
  operation: number;
  latency: LatencyRecorder;
  counts: ClientCounts;
  errors: Map<string, number>;
  /** Receive time of the latest counted message, epoch ms (0 before the first). */
  lastRecvMs: number;
}

export interface ConnSpec {
  comet: CometAddr;
  transport: Transport;
  room: string;
  timeoutMs: number;
}

export function noteError(sink: Sink, text: string): void {
  const key = sink.errors.has(text) || sink.errors.size < MAX_ERROR_KINDS ? text : 'other';
  sink.errors.set(key, (sink.errors.get(key) ?? 0) + 1);
}

/** Counts one pushed message and records its end-to-end latency. */
function countMessage(sink: Sink, buf: Buffer, offset: number, len: number, recvMs: number): void {
  const sent = sendTimeOf(buf, offset, len, sink.runTag);
  if (sent < 0) {
    sink.counts.foreign++;
    return;
  }
  sink.counts.delivered++;
  sink.lastRecvMs = recvMs;
  sink.latency.record((recvMs - sent) * 1000);
}

/**
 * Walks the packets inside an op-9 body in place. No Packet objects are allocated: at millions of
 * deliveries per second the client must stay cheaper than the server it measures.
 */
function countBatch(sink: Sink, body: Buffer, recvMs: number): void {
  sink.counts.batches++;
  let off = 0;
  while (off + 16 <= body.length) {
    const packLen = body.readUInt32BE(off);
    if (packLen < 16 || off + packLen > body.length) {
      noteError(sink, 'malformed op-9 batch');
      return;
    }
    countMessage(sink, body, off + 16, packLen - 16, recvMs);
    off += packLen;
  }
}

/**
 * One anonymous goim-style viewer: connects, authenticates into its room, then counts what it
 * receives. `ready` settles once: resolved on a code-0 auth reply, rejected with a short reason.
 */
export class BenchConn {
  readonly ready: Promise<void>;
  readonly #sink: Sink;
  readonly #spec: ConnSpec;
  #state: 'connecting' | 'open' | 'closing' | 'closed' = 'connecting';
  #serverReason = '';
  #tcp?: net.Socket;
  #ws?: WebSocket;
  #settle!: (error?: Error) => void;
  #closedListeners: (() => void)[] = [];

  constructor(spec: ConnSpec, sink: Sink) {
    this.#spec = spec;
    this.#sink = sink;
    this.ready = new Promise<void>((resolve, reject) => {
      this.#settle = (error) => (error ? reject(error) : resolve());
    });
    const timer = setTimeout(() => this.#fail('timeout'), spec.timeoutMs);
    void this.ready.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
    );
    if (spec.transport === 'tcp') this.#openTcp();
    else this.#openWs();
  }

  get open(): boolean {
    return this.#state === 'open';
  }

  heartbeat(): void {
    if (this.#state !== 'open') return;
    if (this.#tcp) this.#tcp.write(HEARTBEAT);
    else this.#ws?.send(HEARTBEAT);
  }

  /** Closes on our initiative; resolves once the socket is gone. */
  close(): Promise<void> {
    if (this.#state === 'closed') return Promise.resolve();
    const done = new Promise<void>((resolve) => this.#closedListeners.push(resolve));
    if (this.#state === 'connecting') {
      this.#fail('closed by the bench before auth');
      return done;
    }
    if (this.#state === 'open') this.#sink.counts.held--;
    this.#state = 'closing';
    if (this.#tcp) this.#tcp.end();
    else this.#ws?.close(1000, 'bench done');
    return done;
  }

  /** Forces the socket shut when a graceful close took too long. */
  destroy(): void {
    this.#tcp?.destroy();
    this.#ws?.terminate();
  }

  #authPacket(): Buffer {
    const body = JSON.stringify({ mid: 0, room_id: this.#spec.room, platform: 'bench', accepts: [this.#sink.operation] });
    return encodePacket({ op: Op.Auth, seq: 1, body });
  }

  #openTcp(): void {
    const { host, tcpPort } = this.#spec.comet;
    const socket = net.connect({ host, port: tcpPort, noDelay: true });
    this.#tcp = socket;
    const decoder = new PacketDecoder(MAX_BODY);
    socket.once('connect', () => socket.write(this.#authPacket()));
    socket.on('data', (chunk: Buffer) => {
      const recvMs = nowMs();
      let packets: Packet[];
      try {
        packets = decoder.push(chunk);
      } catch (error) {
        noteError(this.#sink, `tcp decode: ${(error as Error).message}`);
        return void socket.destroy();
      }
      for (const packet of packets) this.#onPacket(packet, recvMs);
    });
    socket.on('error', (error) => this.#fail(errorText(error)));
    socket.on('close', () => this.#onClosed());
  }

  #openWs(): void {
    const { host, wsPort } = this.#spec.comet;
    const ws = new WebSocket(`ws://${host}:${wsPort}/sub`, { perMessageDeflate: false, handshakeTimeout: this.#spec.timeoutMs });
    this.#ws = ws;
    ws.on('open', () => ws.send(this.#authPacket()));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const recvMs = nowMs();
      if (!isBinary) return noteError(this.#sink, 'text message from comet');
      let packets: Packet[];
      try {
        packets = decodePackets(data, MAX_BODY);
      } catch (error) {
        return noteError(this.#sink, `ws decode: ${(error as Error).message}`);
      }
      for (const packet of packets) this.#onPacket(packet, recvMs);
    });
    ws.on('error', (error) => this.#fail(errorText(error)));
    ws.on('close', (code, reason) => {
      if (!this.#serverReason && code !== 1000) this.#serverReason = `ws close ${code} ${reason.toString()}`.trim();
      this.#onClosed();
    });
  }

  #onPacket(packet: Packet, recvMs: number): void {
    switch (packet.op) {
      case Op.Raw:
        return countBatch(this.#sink, packet.body, recvMs);
      case Op.AuthReply:
        return this.#onAuthReply(packet.body);
      case Op.HeartbeatReply:
        return;
      case Op.DisconnectReply:
        this.#serverReason = `op 6: ${packet.body.toString('utf8').slice(0, 80)}`;
        return;
      default:
        if (packet.op !== this.#sink.operation) return noteError(this.#sink, `unexpected op ${packet.op}`);
        this.#sink.counts.batches++;
        countMessage(this.#sink, packet.body, 0, packet.body.length, recvMs);
    }
  }

  #onAuthReply(body: Buffer): void {
    if (this.#state !== 'connecting') return;
    let reply: { code?: number; message?: string };
    try {
      reply = JSON.parse(body.toString('utf8')) as typeof reply;
    } catch {
      return this.#fail('auth reply is not JSON');
    }
    if (reply.code !== 0) return this.#fail(`auth refused: ${reply.code} ${reply.message ?? ''}`.trim());
    this.#state = 'open';
    this.#sink.counts.held++;
    this.#settle();
  }

  #fail(reason: string): void {
    if (this.#state === 'open' && !this.#serverReason) this.#serverReason = reason;
    if (this.#state !== 'connecting') return;
    this.#state = 'closing';
    this.#settle(new Error(reason));
    this.destroy();
  }

  #onClosed(): void {
    const was = this.#state;
    this.#state = 'closed';
    if (was === 'connecting') this.#settle(new Error(this.#serverReason || 'closed before auth reply'));
    if (was === 'open') {
      // The server (or the kernel) dropped a connection we still wanted: count it and say why.
      this.#sink.counts.held--;
      this.#sink.counts.lost++;
      noteError(this.#sink, `lost: ${this.#serverReason || 'closed by peer'}`);
    }
    for (const listener of this.#closedListeners.splice(0)) listener();
  }
}

function errorText(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code}` : error.message.slice(0, 80);
}
