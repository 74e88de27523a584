import { randomUUID } from 'node:crypto';
import { ImError } from '@imcluster/common';
import { CloseCode } from '@imcluster/protocol';
import type { Routing } from '@imcluster/routing';
import type { Alive, ConnectReply } from '@imcluster/proto';
import { AuthBodyError, parseAuthBody, type AuthRequest } from './auth/handshake.ts';
import type { Tokens } from './auth/tokens.ts';

export interface ConnectionsOptions {
  routing: Routing;
  tokens: Tokens;
  heartbeatSec: number;
  anonymousRooms: string[];
}

/** Refusals a client may correct; answered in op 8, never thrown. */
class Refusal extends Error {}

/**
 * The connection life cycle as logic sees it: authentication of op-7 bodies, connection keys, and
 * keeping the routing tables exact as connections come, move and go.
 */
export class Connections {
  readonly #o: ConnectionsOptions;

  constructor(options: ConnectionsOptions) {
    this.#o = options;
  }

  async connect(server: string, authBody: Buffer): Promise<ConnectReply> {
    let request: AuthRequest;
    let mid: number;
    try {
      request = parseAuthBody(authBody);
      mid = await this.#identify(request);
    } catch (error) {
      if (error instanceof AuthBodyError || error instanceof Refusal) return { code: CloseCode.AUTH_FAILED, message: error.message };
      throw error;
    }
    const key = randomUUID();
    await this.#o.routing.addConnection({ mid, key, server, room: request.room });
    return {
      code: 0,
      mid,
      key,
      room: request.room,
      accepts: request.accepts,
      heartbeatSec: this.#o.heartbeatSec,
      dialect: request.dialect,
      protover: request.protover,
      anonymous: mid === 0,
    };
  }

  disconnect(server: string, mid: number, key: string): Promise<boolean> {
    return this.#o.routing.removeConnection({ server, mid, key, room: '' });
  }

  /** A comet's batch of closed connections; resolves with how many were still known. */
  async disconnectMany(server: string, gone: { mid: number; key: string }[]): Promise<number> {
    const removed = await Promise.all(gone.map((g) => this.disconnect(server, g.mid, g.key)));
    return removed.filter(Boolean).length;
  }

  /** Rejects with RoomRefused when an anonymous viewer asks for a room it may not enter. */
  async changeRoom(server: string, mid: number, key: string, oldRoom: string, room: string): Promise<void> {
    if (room && !/^[\x21-\x7e]{1,128}$/.test(room)) throw new RoomRefused('invalid room id');
    if (mid === 0 && !this.#anonymousAllowed(room)) throw new RoomRefused('anonymous viewers may not join this room');
    await this.#o.routing.changeRoom({ server, mid, key, room }, oldRoom);
  }

  heartbeat(server: string, alive: Alive[]): Promise<void> {
    return this.#o.routing.refresh(
      server,
      alive.map((a) => ({ server, mid: Number(a.mid ?? 0), key: a.key ?? '', room: a.room ?? '' })),
    );
  }

  renewOnline(server: string, roomCount: Record<string, number>): Promise<Record<string, number>> {
    return this.#o.routing.renewOnline(server, roomCount);
  }

  async #identify(request: AuthRequest): Promise<number> {
    if (request.token) {
      try {
        return await this.#o.tokens.verify(request.token);
      } catch {
        throw new Refusal('invalid or expired token');
      }
    }
    if (request.claimedMid !== 0) throw new Refusal('a token is required');
    if (!this.#anonymousAllowed(request.room)) throw new Refusal('anonymous viewers are not allowed in this room');
    return 0;
  }

  #anonymousAllowed(room: string): boolean {
    return room !== '' && this.#o.anonymousRooms.some((prefix) => room.startsWith(prefix));
  }
}

/** A room change the client may not make (FORBIDDEN: the op-13 reply carries 3508). */
export class RoomRefused extends ImError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}
