import { Op } from '@imcluster/protocol/ops';
import type { ReconnectOptions } from './backoff.ts';
import { Chat, type ChatOptions } from './chat/chat.ts';
import type { ChatEvents, ChatLink } from './chat/link.ts';
import type { SystemNotice } from './chat/types.ts';
import { decodeText, splitPackets, type Packet } from './codec.ts';
import { Connection, type ConnectionEvents, type ConnectionState } from './connection.ts';
import { discover } from './discovery.ts';
import { Emitter } from './emitter.ts';
import { ClientError } from './errors.ts';
import { streamDecompress, toPush, type Decompress, type Push } from './pushes.ts';
import { webSocketTransport, type Transport } from './transport.ts';

export interface ClientOptions {
  /** Comet addresses (`ws://host:port/sub`, or `host:port` for TCP); tried in turn. */
  urls?: string[];
  /** Or logic's base URL (`http://host:port`): comets are taken from its node list before every attempt. */
  discovery?: string;
  /** A user token (JWT), or a function giving a fresh one for every attempt. None: anonymous viewer. */
  token?: string | (() => string | Promise<string>);
  /** The room to join, e.g. `live://1000` (default: none). */
  room?: string;
  /** Ops of user/connection pushes to receive (goim's accept filter). */
  accepts?: number[];
  /** This device's stable id, 1-64 of [A-Za-z0-9._:-] (the server's rule); persist `client.deviceId` if you let the SDK make one. */
  deviceId?: string;
  platform?: string;
  /** 'bili' speaks the Bilibili-live dialect: receive-only, the room must be `live://<number>`. */
  dialect?: 'goim' | 'bili';
  /** Bilibili dialect: 0 plain, 2 zlib, 3 brotli batches (default 2). */
  protover?: 0 | 1 | 2 | 3;
  /** Heartbeat interval, ms (default 30000, as docs/protocol.md says). */
  heartbeatMs?: number;
  /** Wait for the auth reply, ms (default 10000). */
  authTimeoutMs?: number;
  /** Overall limit for a request (history, conversations, recall, room change), ms (default 15000). */
  requestTimeoutMs?: number;
  reconnect?: ReconnectOptions;
  /** How to reach comets (default: the platform's WebSocket). */
  transport?: Transport;
  /** How to inflate compressed Bilibili batches (default: DecompressionStream). */
  decompress?: Decompress;
  /** Chat settings, or false for a connection that only listens to pushes. */
  chat?: ChatOptions | false;
}

export type ClientEvents = ConnectionEvents & ChatEvents & { push: Push; notice: SystemNotice };

const DEVICE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const BILI_ROOM = /^live:\/\/\d+$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** Random characters of [A-Za-z0-9_-] (crypto.getRandomValues works in browsers outside secure contexts too). */
export function randomId(length: number): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(length)), (b) => ALPHABET[b & 63]).join('');
}

function invalid(message: string): ClientError {
  return new ClientError('INVALID_ARGUMENT', message);
}

function checkOps(ops: readonly number[]): void {
  if (!ops.every((op) => Number.isInteger(op) && op >= 0 && op <= 0xffffffff)) throw invalid('ops must be integers in 0..4294967295');
}

/** Checks the options once, up front, so that a client never fails later for a typo. */
function checked(options: ClientOptions): ClientOptions {
  if (!options.urls?.length && !options.discovery) throw invalid('give `urls` or `discovery`');
  if (options.deviceId !== undefined && !DEVICE_ID.test(options.deviceId)) throw invalid('deviceId: 1-64 characters of A-Z a-z 0-9 . _ : -');
  if (options.dialect === 'bili' && !BILI_ROOM.test(options.room ?? '')) throw invalid('the Bilibili dialect needs a room live://<number>');
  checkOps(options.accepts ?? []);
  return options;
}

/** Creates a client; nothing happens on the network before connect(). Throws INVALID_ARGUMENT, TRANSPORT_UNAVAILABLE. */
export function createClient(options: ClientOptions): ImClient {
  return new ImClient({ ...checked(options), transport: options.transport ?? webSocketTransport() });
}

/**
 * A connection to the cluster with everything a client owes the protocol: authentication,
 * heartbeats, reconnects, live pushes, and chat with exactly-once, in-order delivery to the app.
 */
export class ImClient extends Emitter<ClientEvents> {
  readonly deviceId: string;
  readonly chat: Chat;
  readonly #o: ClientOptions;
  readonly #conn: Connection;
  readonly #requestTimeoutMs: number;
  readonly #decompress: Decompress;
  #room: string;
  #accepts: Set<number>;
  #started: Promise<void> | undefined;
  #session: ClientEvents['connected'] | undefined;
  /** Packets waiting behind an asynchronous decompression, so that pushes keep their order. */
  #backlog: Packet[] | undefined;
  /** The token of the last successful refresh(): reconnects authenticate with it (unless `token` is a function). */
  #refreshedToken: string | undefined;

  /** Use createClient(), which checks the options and picks the transport. */
  constructor(options: ClientOptions & { transport: Transport }) {
    super();
    this.#o = options;
    this.deviceId = options.deviceId ?? randomId(22);
    this.#room = options.room ?? '';
    this.#accepts = new Set(options.accepts ?? []);
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.#decompress = options.decompress ?? streamDecompress;
    const transport = options.transport;
    this.#conn = new Connection(
      {
        transport,
        urls: () => (options.urls?.length ? Promise.resolve({ urls: options.urls }) : discover(options.discovery!, transport.kind)),
        authBody: () => this.#authBody(),
        heartbeatMs: options.heartbeatMs ?? 30_000,
        authTimeoutMs: options.authTimeoutMs ?? 10_000,
        reconnect: { baseMs: 1000, maxMs: 60_000, drainMaxMs: 5000, ...options.reconnect },
      },
      {
        emit: (name, event) => this.#onConnectionEvent(name, event),
        packet: (packet) => this.#receive(packet),
        up: () => this.chat.up(),
        down: () => this.chat.down(),
      },
    );
    const link: ChatLink = {
      connected: () => this.#conn.state === 'connected',
      send: (op, body) => this.#conn.send(op, body),
      requestNow: (op, body, timeoutMs) => this.#conn.request(op, body, timeoutMs),
      call: (op, body, retry) => this.#call(op, body, retry),
      emit: (name, event) => this.emit(name, event as ClientEvents[typeof name]),
    };
    this.chat = new Chat(link, options.chat || {}, this.#requestTimeoutMs, randomId(10), this.#chatUnavailable());
  }

  get state(): ConnectionState {
    return this.#conn.state;
  }

  /** The current connection's key, user id and room; undefined while not connected. */
  get session(): ClientEvents['connected'] | undefined {
    return this.#conn.state === 'connected' ? this.#session : undefined;
  }

  get room(): string {
    return this.#room;
  }

  /**
   * Starts connecting (once) and resolves at the next `connected`; rejects when the client stops
   * first (terminal close code, AUTH_FAILED, close()). Reconnects happen on their own afterwards.
   */
  connect(): Promise<ClientEvents['connected']> {
    if (this.#conn.state === 'closed') return Promise.reject(new ClientError('CLOSED', 'the client is closed'));
    if (this.session) return Promise.resolve(this.session);
    const connected = this.#untilConnected(Number.POSITIVE_INFINITY).then(() => this.#session!);
    this.#started ??= this.chat.load().then(() => this.#conn.start());
    return connected;
  }

  /** Closes the socket and stops every timer; pending sends reject with CLOSED and stay in the store. */
  close(): void {
    if (this.#conn.state === 'closed') return;
    this.chat.stop(new ClientError('CLOSED', 'the client is closed'));
    this.#conn.close();
  }

  /** Moves to another room (op 12); '' leaves the room. Reconnects rejoin the current room. */
  async changeRoom(room: string): Promise<void> {
    if (this.#o.dialect === 'bili' && !BILI_ROOM.test(room)) throw invalid('the Bilibili dialect needs a room live://<number>');
    const reply = JSON.parse(decodeText((await this.#call(Op.ChangeRoom, room, true)).body)) as { code: number; message?: string };
    if (reply.code !== 0) throw new ClientError('SERVER_REFUSED', reply.message ?? 'room change refused', reply.code);
    this.#room = room;
  }

  /** Adds ops to the accept filter (op 14); reconnects restore the filter. */
  async subscribe(ops: number[]): Promise<void> {
    checkOps(ops);
    await this.#call(Op.Sub, ops.join(','), true);
    for (const op of ops) this.#accepts.add(op);
  }

  /** Removes ops from the accept filter (op 16). */
  async unsubscribe(ops: number[]): Promise<void> {
    checkOps(ops);
    await this.#call(Op.Unsub, ops.join(','), true);
    for (const op of ops) this.#accepts.delete(op);
  }

  /**
   * Hands the server a fresh token for this user before the current one expires (op 33), so the
   * connection outlives its first token; later reconnects use it too (a `token` function is asked
   * instead, as always). Resolves with when the new
   * token expires (ms since the epoch, 0 = never); rejects with SERVER_REFUSED (3504 bad token,
   * 3508 another user's, 3004 retry later) and the connection keeps its old expiry.
   */
  async refresh(token: string): Promise<number> {
    const reply = JSON.parse(decodeText((await this.#call(Op.TokenRefresh, JSON.stringify({ token }), true)).body)) as { code: number; message?: string; expires_at?: number };
    if (reply.code !== 0) throw new ClientError('SERVER_REFUSED', reply.message ?? 'token refresh refused', reply.code);
    this.#refreshedToken = token;
    return reply.expires_at ?? 0;
  }

  #chatUnavailable(): ClientError | undefined {
    const why = this.#o.chat === false ? 'chat is turned off' : this.#o.dialect === 'bili' ? 'the Bilibili dialect cannot chat' : this.#o.token ? '' : 'anonymous viewers cannot chat';
    return why ? new ClientError('CHAT_UNAVAILABLE', why) : undefined;
  }

  async #authBody(): Promise<string> {
    const token = typeof this.#o.token === 'function' ? await this.#o.token() : (this.#refreshedToken ?? this.#o.token ?? '');
    const common = { platform: this.#o.platform ?? '', device_id: this.deviceId };
    if (this.#o.dialect === 'bili') {
      return JSON.stringify({ uid: 0, roomid: Number(this.#room.slice('live://'.length)), protover: this.#o.protover ?? 2, type: 2, key: token, ...common });
    }
    return JSON.stringify({ mid: 0, room_id: this.#room, accepts: [...this.#accepts], token, ...common });
  }

  #onConnectionEvent<K extends keyof ConnectionEvents>(name: K, event: ConnectionEvents[K]): void {
    if (name === 'connected') this.#session = event as ClientEvents['connected'];
    if (name === 'closed') this.chat.stop((event as ClientEvents['closed']).error ?? new ClientError('CLOSED', 'the client is closed'));
    this.emit(name, event as ClientEvents[K]);
  }

  /** A request that waits for a connection; with `retry`, a lost socket means sending it again. */
  async #call(op: number, body: string, retry: boolean): Promise<Packet> {
    const deadline = Date.now() + this.#requestTimeoutMs;
    for (;;) {
      await this.#untilConnected(deadline);
      try {
        return await this.#conn.request(op, body, Math.max(1, deadline - Date.now()));
      } catch (error) {
        if (!retry || (error as ClientError).code !== 'DISCONNECTED') throw error;
      }
    }
  }

  #untilConnected(deadline: number): Promise<void> {
    if (this.#conn.state === 'connected') return Promise.resolve();
    if (this.#conn.state === 'closed') return Promise.reject(new ClientError('CLOSED', 'the client is closed'));
    return new Promise((resolve, reject) => {
      const offs = [
        this.on('connected', () => done(resolve)),
        this.on('closed', (event) => done(() => reject(event.error ?? new ClientError('CLOSED', 'the client is closed')))),
      ];
      const timer = Number.isFinite(deadline) ? setTimeout(() => done(() => reject(new ClientError('TIMEOUT', 'not connected in time'))), deadline - Date.now()) : undefined;
      const done = (then: () => void) => {
        clearTimeout(timer);
        for (const off of offs) off();
        then();
      };
    });
  }

  /** Packets in arrival order, even when one of them needs an asynchronous decompression. */
  #receive(packet: Packet): void {
    if (this.#backlog) return void this.#backlog.push(packet);
    const pending = this.#dispatch(packet);
    if (pending) this.#waitFor(pending, []);
  }

  #waitFor(pending: Promise<void>, backlog: Packet[]): void {
    this.#backlog = backlog;
    void pending.then(() => {
      const waiting = this.#backlog ?? [];
      this.#backlog = undefined;
      while (waiting.length > 0) {
        const next = this.#dispatch(waiting.shift()!);
        if (next) return this.#waitFor(next, waiting);
      }
    });
  }

  /** One packet to the app; a malformed body from the server is dropped, never thrown at the socket. */
  #dispatch(packet: Packet): Promise<void> | undefined {
    try {
      if (this.chat.handle(packet)) return;
      if (packet.op === Op.SystemNotice) this.emit('notice', JSON.parse(decodeText(packet.body)) as SystemNotice);
      else if (packet.op === Op.Raw) this.#pushAll(splitPackets(packet.body), 'room');
      else if (packet.op === Op.SendMsgReply && this.#o.dialect === 'bili') return this.#bili(packet);
      else if (packet.op >= 1000) this.emit('push', toPush(packet, 'direct', this.#room));
    } catch {
      // not JSON, or a batch that ends inside a packet: a server bug, nothing the app can use
    }
    return undefined;
  }

  #pushAll(packets: Packet[], kind: Push['kind']): undefined {
    for (const packet of packets) this.emit('push', toPush(packet, kind, this.#room));
    return undefined;
  }

  /** Bilibili dialect: op 5, ver 0 one JSON message, ver 2 zlib and ver 3 brotli batches of them. */
  #bili(packet: Packet): Promise<void> | undefined {
    if (packet.ver !== 2 && packet.ver !== 3) return this.#pushAll([packet], 'room');
    const inflated = this.#decompress(packet.ver === 2 ? 'deflate' : 'brotli', packet.body);
    if (!(inflated instanceof Promise)) return this.#pushAll(splitPackets(inflated), 'room');
    // An undecodable batch is dropped: pushes are best effort.
    return inflated.then((bytes) => this.#pushAll(splitPackets(bytes), 'room')).catch(() => undefined);
  }
}
