import { randomUUID } from 'node:crypto';
import { CloseCode } from '@imcluster/protocol';
import type { Routing } from '@imcluster/routing';
import type { Alive, ConnectReply } from '@imcluster/proto';
import type { Authenticator, SocketCaller } from './auth/authenticator.ts';
import { ProxyDenied, type ConnectOrigin } from './auth/connect_proxy.ts';
import { AuthRefused } from './auth/errors.ts';

export interface ConnectionsOptions {
  routing: Routing;
  auth: Authenticator;
  heartbeatSec: number;
}

/**
 * The connection life cycle as logic sees it: op-7 bodies checked by the authenticator, connection
 * keys, and keeping the routing tables exact as connections come, move and go.
 */
export class Connections {
  readonly #o: ConnectionsOptions;

  constructor(options: ConnectionsOptions) {
    this.#o = options;
  }

  /**
   * A refused caller is answered in the reply (3504, or a connect proxy backend's own 4000-4999
   * code), never thrown: the client may correct it. Outages are thrown (the client reads 3004).
   */
  async connect(origin: ConnectOrigin, authBody: Buffer): Promise<ConnectReply> {
    let caller: SocketCaller;
    try {
      caller = await this.#o.auth.socket(authBody, origin);
    } catch (error) {
      if (error instanceof ProxyDenied) return { code: error.closeCode ?? CloseCode.AUTH_FAILED, message: error.message };
      if (error instanceof AuthRefused) return { code: CloseCode.AUTH_FAILED, message: error.message };
      throw error;
    }
    const { server } = origin;
    const { request, mid, tokenExpiresAt, info } = caller;
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
      device: request.device,
      tokenExpiresAt,
      info,
    };
  }

  /** A comet's batch of closed connections; resolves with how many were still known. */
  async disconnectMany(server: string, gone: { mid: number; key: string }[]): Promise<number> {
    const removed = await Promise.all(gone.map(({ mid, key }) => this.#o.routing.removeConnection({ server, mid, key, room: '' })));
    return removed.filter(Boolean).length;
  }

  /** Rejects with RoomRefused when the room id is invalid or an anonymous viewer may not enter it. */
  async changeRoom(server: string, mid: number, key: string, room: string): Promise<void> {
    this.#o.auth.checkRoom(mid, room);
    await this.#o.routing.changeRoom({ server, mid, key, room });
  }

  /** The new expiry of connection user `mid` after an in-band refresh (op 33); rejects like Authenticator.refresh. */
  refreshToken(mid: number, token: string): Promise<number> {
    return this.#o.auth.refresh(mid, token);
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
}
