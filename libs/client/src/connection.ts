import { Op } from '@imcluster/protocol/ops';
import { backoffDelay, isTerminalCode, Rotation, type ReconnectOptions } from './backoff.ts';
import { decodeText, encodePacket, FramingError, PacketReader, type Packet } from './codec.ts';
import { ClientError } from './errors.ts';
import type { Socket, Transport } from './transport.ts';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface AuthReply {
  key: string;
  mid: number;
  room: string;
}

/** State transitions, as the client emits them. */
export interface ConnectionEvents {
  connecting: { attempt: number; url: string };
  connected: AuthReply & { url: string };
  disconnected: { code: number; reason: string; willReconnect: boolean };
  reconnecting: { attempt: number; delayMs: number };
  closed: { code: number; reason: string; error?: ClientError };
  online: { count: number };
}

export interface ConnectionOptions {
  transport: Transport;
  /** The comet addresses to try, asked again before every attempt (discovery may change them). */
  urls(): Promise<{ urls: string[]; serverHeartbeatMs?: number }>;
  /** The op-7 body, built for every attempt (the token may have been refreshed). */
  authBody(): Promise<string>;
  heartbeatMs: number;
  authTimeoutMs: number;
  reconnect: Required<ReconnectOptions>;
}

export interface ConnectionHooks {
  emit<K extends keyof ConnectionEvents>(name: K, event: ConnectionEvents[K]): void;
  /** Every packet that is neither a reply to a request nor connection housekeeping. */
  packet(packet: Packet): void;
  /** Authenticated: the connection is usable (before the `connected` event). */
  up(): void;
  /** The socket is gone, before any reconnect is scheduled. */
  down(): void;
}

/** Replies matched to their request by the echoed seq. */
const REPLY_OPS = new Set<number>([Op.SendMsgReply, Op.ChangeRoomReply, Op.SubReply, Op.UnsubReply, Op.ChatSyncReply, Op.ChatRecallReply, Op.ChatConversationsReply, Op.TokenRefreshReply]);

interface Pending {
  resolve(packet: Packet): void;
  reject(error: ClientError): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Why the SDK itself ends a socket; the codes say the same as the server's (both retried). */
const DEAD = { code: 3003, reason: 'no heartbeat reply for two intervals' };
const AUTH_SLOW = { code: 3004, reason: 'no auth reply in time' };

/**
 * One logical connection to the cluster over successive sockets: authenticate, heartbeat, detect
 * a dead socket, reconnect with back-off and full jitter to the next comet, stop on terminal
 * codes. Requests are bound to the socket they were sent on: its loss rejects them with
 * DISCONNECTED, and the caller decides whether to send again.
 */
export class Connection {
  readonly #o: ConnectionOptions;
  readonly #hooks: ConnectionHooks;
  readonly #rotation = new Rotation();
  #state: ConnectionState = 'idle';
  #socket: Socket | undefined;
  #attempt = 0;
  #packetSeq = 0;
  #pending = new Map<number, Pending>();
  #closeInfo: { code: number; reason: string } | undefined;
  #heartbeatMs: number;
  #missed = 0;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ConnectionOptions, hooks: ConnectionHooks) {
    this.#o = options;
    this.#hooks = hooks;
    this.#heartbeatMs = options.heartbeatMs;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  start(): void {
    if (this.#state !== 'idle') return;
    this.#state = 'connecting';
    void this.#open();
  }

  /** Ends everything: socket, timers, pending requests. Nothing is scheduled afterwards. */
  close(code = 1000, reason = 'closed by the app', error?: ClientError): void {
    if (this.#state === 'closed') return;
    const wasUp = this.#socket !== undefined;
    this.#state = 'closed';
    this.#endSocket(error ?? new ClientError('CLOSED', reason));
    clearTimeout(this.#timer);
    if (wasUp) this.#hooks.down();
    this.#hooks.emit('closed', { code, reason, ...(error ? { error } : {}) });
  }

  /** Sends a packet that gets no reply; false when not connected (the packet is dropped). */
  send(op: number, body: string): boolean {
    if (this.#state !== 'connected') return false;
    this.#write(op, body);
    return true;
  }

  /** Sends a request on the current socket and resolves with its reply. */
  request(op: number, body: string, timeoutMs: number): Promise<Packet> {
    if (this.#state !== 'connected') return Promise.reject(new ClientError('DISCONNECTED', 'not connected'));
    const seq = this.#write(op, body);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(seq);
        reject(new ClientError('TIMEOUT', `no reply to op ${op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(seq, { resolve, reject, timer });
    });
  }

  #write(op: number, body: string): number {
    this.#packetSeq = (this.#packetSeq % 0xffffffff) + 1; // never 0: pushes carry seq 0
    this.#socket!.send(encodePacket(op, this.#packetSeq, body));
    return this.#packetSeq;
  }

  async #open(): Promise<void> {
    let target: { urls: string[]; serverHeartbeatMs?: number };
    let auth: string;
    try {
      [target, auth] = await Promise.all([this.#o.urls(), this.#o.authBody()]);
    } catch (error) {
      if (this.#state === 'closed') return;
      const reason = error instanceof Error ? error.message : String(error);
      this.#hooks.emit('disconnected', { code: 1006, reason, willReconnect: true });
      return this.#retry(1006);
    }
    if (this.#state === 'closed') return;
    // The server closes a silent connection after its timeout: stay well inside it.
    if (target.serverHeartbeatMs) this.#heartbeatMs = Math.min(this.#o.heartbeatMs, Math.floor(target.serverHeartbeatMs / 3));
    const url = this.#rotation.next(target.urls);
    this.#hooks.emit('connecting', { attempt: this.#attempt, url });
    const reader = new PacketReader();
    this.#closeInfo = undefined;
    try {
      this.#socket = this.#o.transport.connect(url, {
        open: () => this.#onOpen(auth),
        data: (chunk) => this.#onData(reader, chunk, url),
        close: (code, reason) => this.#onSocketClosed(code, reason),
      });
    } catch (error) {
      this.close(1000, 'bad comet address', new ClientError('INVALID_ARGUMENT', `cannot connect to ${url}: ${String(error)}`));
    }
  }

  #onOpen(auth: string): void {
    this.#write(Op.Auth, auth);
    this.#timer = setTimeout(() => this.#drop(AUTH_SLOW.code, AUTH_SLOW.reason), this.#o.authTimeoutMs);
  }

  #onData(reader: PacketReader, chunk: Uint8Array, url: string): void {
    let packets: Packet[];
    try {
      packets = reader.push(chunk);
    } catch (error) {
      return this.#drop(1006, (error as FramingError).message);
    }
    for (const packet of packets) {
      if (this.#socket === undefined) return; // dropped while handling an earlier packet
      this.#onPacket(packet, url);
    }
  }

  #onPacket(packet: Packet, url: string): void {
    if (packet.op === Op.AuthReply) return this.#onAuthReply(packet, url);
    if (packet.op === Op.HeartbeatReply) {
      this.#missed = 0;
      const count = packet.body.length >= 4 ? new DataView(packet.body.buffer, packet.body.byteOffset).getUint32(0) : 0;
      return this.#hooks.emit('online', { count });
    }
    if (packet.op === Op.DisconnectReply) {
      this.#closeInfo = parseJson<{ code: number; reason: string }>(packet.body);
      return;
    }
    const pending = REPLY_OPS.has(packet.op) && packet.seq !== 0 ? this.#pending.get(packet.seq) : undefined;
    if (!pending) return this.#hooks.packet(packet);
    this.#pending.delete(packet.seq);
    clearTimeout(pending.timer);
    pending.resolve(packet);
  }

  #onAuthReply(packet: Packet, url: string): void {
    clearTimeout(this.#timer);
    const reply = parseJson<AuthReply & { code: number; message?: string }>(packet.body);
    if (!reply || reply.code !== 0) {
      // op 6 and the close follow; ending now gives the same outcome without waiting for them.
      return this.#drop(reply?.code ?? 3504, reply?.message ?? 'auth refused');
    }
    this.#state = 'connected';
    this.#attempt = 0;
    this.#missed = 0;
    this.#beat();
    this.#heartbeat = setInterval(() => this.#beat(), this.#heartbeatMs);
    this.#hooks.up();
    this.#hooks.emit('connected', { url, key: reply.key, mid: reply.mid, room: reply.room });
  }

  /** One heartbeat; the third tick without a reply since the last one means the socket is dead. */
  #beat(): void {
    if (this.#missed >= 2) return this.#drop(DEAD.code, DEAD.reason);
    this.#missed++;
    this.#write(Op.Heartbeat, '');
  }

  /** The SDK gives up on the current socket. */
  #drop(code: number, reason: string): void {
    this.#onSocketClosed(code, reason);
  }

  #onSocketClosed(code: number, reason: string): void {
    if (this.#state === 'closed' || this.#socket === undefined) return;
    const info = this.#closeInfo ?? { code, reason };
    this.#endSocket(new ClientError('DISCONNECTED', `connection lost (${info.code} ${info.reason})`, info.code));
    this.#hooks.down();
    if (isTerminalCode(info.code)) {
      this.#hooks.emit('disconnected', { ...info, willReconnect: false });
      const error = new ClientError(info.code === 3504 ? 'AUTH_FAILED' : 'SERVER_REFUSED', info.reason || `closed with code ${info.code}`, info.code);
      return this.close(info.code, info.reason, error);
    }
    this.#hooks.emit('disconnected', { ...info, willReconnect: true });
    this.#retry(info.code);
  }

  #retry(code: number): void {
    this.#state = 'reconnecting';
    this.#attempt++;
    const delayMs = code === 3001 ? Math.floor(Math.random() * this.#o.reconnect.drainMaxMs) : backoffDelay(this.#attempt, this.#o.reconnect);
    this.#hooks.emit('reconnecting', { attempt: this.#attempt, delayMs });
    this.#timer = setTimeout(() => void this.#open(), delayMs);
  }

  /** Closes the socket and stops its timers; its pending requests fail with `error`. */
  #endSocket(error: ClientError): void {
    const socket = this.#socket;
    this.#socket = undefined;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#timer);
    socket?.close();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(error);
    }
  }
}

function parseJson<T>(body: Uint8Array): T | undefined {
  try {
    return JSON.parse(decodeText(body)) as T;
  } catch {
    return undefined;
  }
}
