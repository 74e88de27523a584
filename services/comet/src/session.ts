import { errorCodeOf, type Logger } from '@imcluster/common';
import type { CometMetrics } from '@imcluster/metrics';
import { chatFailureReply, chatReplyOp, CloseCode, encodeDisconnect, encodeHeartbeatReply, encodePacket, MAX_ACCEPTS, MAX_SUB_BODY, Op, parseOpList, socketFailure, type Packet, type ProtocolError } from '@imcluster/protocol';
import type { ChatReply__Output, ConnectReply, RefreshTokenReply__Output } from '@imcluster/proto';
import { Channel, type SendPolicy } from './channel.ts';
import { ChatPipe, type ChatOp } from './chat_pipe.ts';
import { closeChannel, type Hub } from './hub.ts';
import type { LogicPool } from './logic_pool.ts';
import { OpBudget, type OpLimit } from './op_budget.ts';
import type { GoneReporter } from './gone_reporter.ts';
import type { PresenceReporter } from './presence_reporter.ts';
import { frameFor, type Transport } from './transport.ts';

export interface SessionDeps {
  serverId: string;
  hub: Hub;
  logic: LogicPool;
  presence: PresenceReporter;
  sendPolicy: SendPolicy;
  chat: { maxPending: number; maxBatch: number };
  /** Operations per connection (IM_COMET_OPS_PER_SEC, IM_COMET_OPS_BURST). */
  opLimit: OpLimit;
  handshakeTimeoutMs: number;
  logger: Logger;
  gone: GoneReporter;
  metrics: CometMetrics;
}

/** Packets a client may send while its auth is being checked; more is a protocol abuse. */
const MAX_EARLY_PACKETS = 16;

/** Ops the connection's budget does not count: heartbeats, and chat sends, which ChatPipe paces. */
const UNCOUNTED_OPS = new Set<number>([Op.Heartbeat, Op.SendMsg]);

/** Why reading is paused, as bits: logic catching up with chat ops, or the client not reading. */
const PAUSED_FOR = { chat: 1, send: 2 } as const;
type PauseReason = keyof typeof PAUSED_FOR;

const NO_PACKETS: readonly Packet[] = Object.freeze([]);

/**
 * The protocol state of one client connection, independent of its transport: the first packet
 * must be auth (op 7), answered with op 8 once logic accepted it; then heartbeats, room changes and
 * subscriptions. Every way out goes through close() with a documented close code.
 *
 * Reading is paused while logic catches up with the connection's chat ops, or while the client
 * does not read what it is sent: packets already read then wait, unanswered, until both clear, so
 * a client's requests cannot produce replies faster than it reads them.
 */
export class Session {
  readonly #transport: Transport;
  readonly #deps: SessionDeps;
  readonly authDeadline: number;
  #state: 'new' | 'authenticating' | 'open' | 'closed' = 'new';
  #channel?: Channel;
  /** Created at the first chat op: most connections (viewers) never send one. */
  #chat?: ChatPipe;
  /** Packets that arrived while auth was being checked. */
  #early?: Packet[];
  readonly #budget: OpBudget;
  /** Packets read but not handled yet, because reading is paused (shared empty array while none). */
  #held: readonly Packet[] = NO_PACKETS;
  #pausedBits = 0;
  #handling = false;

  constructor(transport: Transport, deps: SessionDeps) {
    this.#transport = transport;
    this.#deps = deps;
    this.#budget = new OpBudget(deps.opLimit);
    this.authDeadline = Date.now() + deps.handshakeTimeoutMs;
  }

  /** Still waiting for (or checking) its auth packet. */
  get pendingAuth(): boolean {
    return this.#state === 'new' || this.#state === 'authenticating';
  }

  /** `packets` becomes the session's: the caller must not reuse the array. */
  onPackets(packets: readonly Packet[]): void {
    this.#held = this.#held.length === 0 ? packets : this.#held.concat(packets);
    this.#handleHeld();
  }

  #handleHeld(): void {
    if (this.#handling) return; // a resume while handling: the loop below goes on
    this.#handling = true;
    let i = 0;
    while (i < this.#held.length && this.#pausedBits === 0 && this.#state !== 'closed') this.#handle(this.#held[i++]!);
    this.#held = this.#state === 'closed' || i === this.#held.length ? NO_PACKETS : this.#held.slice(i);
    this.#handling = false;
  }

  /** Pauses reading for `reason`, or lifts it; reading resumes when no reason is left. */
  #pause(reason: PauseReason, on: boolean): void {
    const wasPaused = this.#pausedBits !== 0;
    this.#pausedBits = on ? this.#pausedBits | PAUSED_FOR[reason] : this.#pausedBits & ~PAUSED_FOR[reason];
    if (reason === 'send' && !on) this.#chat?.wake();
    if (wasPaused === (this.#pausedBits !== 0) || this.#state === 'closed') return;
    if (on) return this.#transport.pause();
    this.#transport.resume();
    this.#handleHeld();
  }

  onProtocolError(error: ProtocolError): void {
    this.close(error.closeCode, error.message);
  }

  /** The transport is gone: drop the connection from the hub and from the routing tables. */
  onTransportClosed(): void {
    const channel = this.#channel;
    this.#state = 'closed';
    this.#held = NO_PACKETS;
    this.#chat?.close();
    if (!channel) return;
    channel.markClosed();
    if (this.#deps.hub.remove(channel)) this.#deps.gone.report(channel.identity.mid, channel.key);
  }

  close(code: number, reason: string): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#chat?.close();
    if (this.#channel) return closeChannel(this.#channel, code, reason);
    this.#transport.write(frameFor(this.#transport, encodeDisconnect(code, reason)));
    this.#transport.close(code, reason);
  }

  #handle(packet: Packet): void {
    if (this.#state === 'new') return this.#authenticate(packet);
    if (this.#state === 'authenticating') return this.#holdEarly(packet);
    this.#channel!.lastSeen = Date.now();
    if (!UNCOUNTED_OPS.has(packet.op) && !this.#budget.take()) return this.close(CloseCode.RATE_LIMITED, 'too many operations');
    if (packet.op in chatReplyOp) return this.#toChat(packet);
    switch (packet.op) {
      case Op.Heartbeat:
        return this.#heartbeat(packet);
      case Op.ChangeRoom:
        return void this.#changeRoom(packet);
      case Op.TokenRefresh:
        return void this.#refreshToken(packet);
      case Op.Sub:
        return this.#subscribe(packet, true);
      case Op.Unsub:
        return this.#subscribe(packet, false);
      case Op.Auth:
        return this.close(CloseCode.DUPLICATE_AUTH, 'already authenticated');
      default:
        return this.close(CloseCode.UNKNOWN_OP, `unsupported operation ${packet.op}`);
    }
  }

  #holdEarly(packet: Packet): void {
    if (packet.op === Op.Auth) return this.close(CloseCode.DUPLICATE_AUTH, 'auth already in progress');
    this.#early ??= [];
    if (this.#early.length >= MAX_EARLY_PACKETS) return this.close(CloseCode.BAD_PACKET, 'too many packets before the auth reply');
    this.#early.push(packet);
  }

  #authenticate(packet: Packet): void {
    if (packet.op !== Op.Auth) {
      this.#deps.metrics.auth(CloseCode.AUTH_REQUIRED).inc();
      return this.close(CloseCode.AUTH_REQUIRED, 'the first packet must be auth (op 7)');
    }
    this.#state = 'authenticating';
    const req = { server: this.#deps.serverId, auth: packet.body, transport: this.#transport.kind, clientAddress: this.#transport.remoteAddress };
    this.#deps.logic
      .call<ConnectReply>((c, md, opts, cb) => c.connect(req, md, opts, cb))
      .then((reply) => this.#onConnectReply(packet.seq, reply))
      .catch((error: unknown) => this.#onConnectError(packet.seq, error));
  }

  #onConnectReply(seq: number, reply: ConnectReply): void {
    if (this.#state === 'closed') return this.#releaseUnusedKey(reply);
    if (reply.code) return this.#rejectAuth(seq, reply.code ?? CloseCode.AUTH_FAILED, reply.message ?? 'auth failed');
    const heartbeatMs = (reply.heartbeatSec ?? 0) * 1000;
    const channel = new Channel(
      this.#transport,
      {
        mid: Number(reply.mid ?? 0),
        key: reply.key ?? '',
        room: reply.room ?? '',
        accepts: new Set(reply.accepts ?? []),
        dialect: reply.dialect === 'bili' ? 'bili' : 'goim',
        protover: reply.protover ?? 0,
        anonymous: reply.anonymous ?? false,
        device: reply.device ?? '',
        tokenExpiresAt: Number(reply.tokenExpiresAt ?? 0),
      },
      heartbeatMs,
      this.#deps.sendPolicy,
      this.#deps.metrics.framesWritten,
      (blocked) => this.#pause('send', blocked),
    );
    this.#channel = channel;
    this.#state = 'open';
    this.#deps.metrics.auth(0).inc();
    this.#deps.hub.add(channel);
    const body = JSON.stringify({ code: 0, key: channel.key, mid: channel.identity.mid, room: channel.identity.room, ...infoOf(reply) });
    this.#reply(encodePacket({ op: Op.AuthReply, seq, body }));
    const early = this.#early;
    this.#early = undefined;
    if (early) this.onPackets(early);
  }

  #onConnectError(seq: number, error: unknown): void {
    if (this.#state === 'closed') return;
    if (errorCodeOf(error) === 'INTERNAL') this.#deps.logger.error({ err: error }, 'connect failed');
    const { code, message } = socketFailure(error, 'close');
    this.#rejectAuth(seq, code, message);
  }

  #rejectAuth(seq: number, code: number, message: string): void {
    this.#deps.metrics.auth(code).inc();
    this.#transport.write(frameFor(this.#transport, encodePacket({ op: Op.AuthReply, seq, body: JSON.stringify({ code, message }) })));
    this.close(code, message);
  }

  // The client left while logic was registering it: undo the registration.
  #releaseUnusedKey(reply: ConnectReply): void {
    if (!reply.code && reply.key) this.#deps.gone.report(Number(reply.mid ?? 0), reply.key);
  }

  #heartbeat(packet: Packet): void {
    const channel = this.#channel!;
    this.#deps.metrics.heartbeats.inc();
    const count = this.#deps.presence.roomCount(channel.identity.room);
    this.#reply(encodeHeartbeatReply(packet.seq, count));
  }

  async #changeRoom(packet: Packet): Promise<void> {
    const channel = this.#channel!;
    const room = packet.body.toString('utf8').trim();
    const req = { server: this.#deps.serverId, mid: channel.identity.mid, key: channel.key, room };
    try {
      await this.#deps.logic.call((c, md, opts, cb) => c.changeRoom(req, md, opts, cb));
    } catch (error) {
      // The connection stays in its room: refused (3508), or logic not reached (3004: retry later).
      return this.#reply(encodePacket({ op: Op.ChangeRoomReply, seq: packet.seq, body: JSON.stringify(socketFailure(error, 'close')) }));
    }
    if (this.#state !== 'open') return;
    this.#deps.hub.changeRoom(channel, room);
    this.#reply(encodePacket({ op: Op.ChangeRoomReply, seq: packet.seq, body: JSON.stringify({ code: 0, room }) }));
  }

  /**
   * An in-band token refresh: logic checks the token (same user) and the connection's expiry moves
   * to the new token's. A refusal (3504 bad token, 3508 another user) or 3004 leaves the old expiry.
   */
  async #refreshToken(packet: Packet): Promise<void> {
    const channel = this.#channel!;
    const answer = (body: object) => this.#reply(encodePacket({ op: Op.TokenRefreshReply, seq: packet.seq, body: JSON.stringify(body) }));
    const token = tokenOf(packet.body);
    if (token === undefined) return answer({ code: CloseCode.AUTH_FAILED, message: 'the body must be JSON {"token":"..."}' });
    const req = { server: this.#deps.serverId, mid: channel.identity.mid, token };
    let reply: RefreshTokenReply__Output;
    try {
      reply = await this.#deps.logic.call<RefreshTokenReply__Output>((c, md, opts, cb) => c.refreshToken(req, md, opts, cb));
    } catch (error) {
      return answer(socketFailure(error, 'close'));
    }
    if (this.#state !== 'open') return;
    channel.identity.tokenExpiresAt = Number(reply.tokenExpiresAt);
    answer({ code: 0, expires_at: channel.identity.tokenExpiresAt });
  }

  /** Chat ops go to logic as they are, in order; an ack also stops this comet's re-sends. */
  #toChat(packet: Packet): void {
    if (packet.op === Op.ChatAck) this.#ackResends(packet.body);
    (this.#chat ??= this.#chatPipe(this.#channel!)).enqueue(packet);
  }

  #ackResends(body: Buffer): void {
    try {
      const { conv, seq } = JSON.parse(body.toString('utf8')) as { conv?: unknown; seq?: unknown };
      if (typeof conv === 'string' && typeof seq === 'number') this.#deps.hub.ackChat(this.#channel!, conv, seq);
    } catch {
      // logic answers a malformed ack (it ignores it); nothing to stop here
    }
  }

  #chatPipe(channel: Channel): ChatPipe {
    const { serverId, logic } = this.#deps;
    const base = { server: serverId, mid: channel.identity.mid, key: channel.key, device: channel.identity.device };
    return new ChatPipe({
      ...this.#deps.chat,
      send: (ops) => logic.call<ChatReply__Output>((c, md, opts, cb) => c.chat({ ...base, ops }, md, opts, cb)).then((reply) => reply.replies),
      failed: (ops, error) => this.#chatFailed(ops, error),
      reply: (op, seq, body) => {
        if (this.#state === 'open') this.#reply(encodePacket({ op, seq, body }));
      },
      pause: () => this.#pause('chat', true),
      resume: () => this.#pause('chat', false),
      blocked: () => (this.#pausedBits & PAUSED_FOR.send) !== 0,
    });
  }

  /**
   * Logic did not answer a batch: each op that expects a reply is told so, 4503 when no logic
   * could have run it, 4504 (outcome unknown: retry unchanged) when one may have.
   */
  #chatFailed(ops: ChatOp[], error: unknown): ChatOp[] {
    if (errorCodeOf(error) === 'INTERNAL') this.#deps.logger.error({ err: error }, 'chat call failed');
    const failure = socketFailure(error, 'chat');
    return ops.map(({ op, body }) => chatFailureReply(op, body, failure));
  }

  /**
   * Body: comma-separated op numbers ("1000,1001"); one malformed item voids the whole request.
   * A body over MAX_SUB_BODY, or ops that would take the filter past MAX_ACCEPTS, close with 3502.
   */
  #subscribe(packet: Packet, add: boolean): void {
    if (packet.body.length > MAX_SUB_BODY) return this.close(CloseCode.PACKET_TOO_LARGE, `op ${packet.op} body over ${MAX_SUB_BODY} bytes`);
    const accepts = this.#channel!.identity.accepts;
    const ops = parseOpList(packet.body) ?? [];
    if (add && new Set([...accepts, ...ops]).size > MAX_ACCEPTS) return this.close(CloseCode.PACKET_TOO_LARGE, `accept filter over ${MAX_ACCEPTS} ops`);
    for (const op of ops) {
      if (add) accepts.add(op);
      else accepts.delete(op);
    }
    this.#reply(encodePacket({ op: add ? Op.SubReply : Op.UnsubReply, seq: packet.seq, body: packet.body }));
  }

  #reply(packet: Buffer): void {
    this.#deps.hub.deliver(this.#channel!, frameFor(this.#transport, packet), false);
  }
}


/** The `info` a connect proxy's backend gave the app, for the op-8 reply; logic sent it as a JSON object. */
function infoOf(reply: ConnectReply): { info?: unknown } {
  return reply.info ? { info: JSON.parse(reply.info) as unknown } : {};
}

/** The token of an op-33 body `{"token":"..."}`; undefined for any other body. */
function tokenOf(body: Buffer): string | undefined {
  try {
    const { token } = JSON.parse(body.toString('utf8')) as { token?: unknown };
    return typeof token === 'string' && token !== '' ? token : undefined;
  } catch {
    return undefined;
  }
}
