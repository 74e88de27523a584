import { timingSafeEqual } from 'node:crypto';
import { isRoomId, ROOM_ID_RULE } from '@imcluster/protocol';
import type { Storage } from '@imcluster/storage';
import { AuthRefused, RoomRefused } from './errors.ts';
import { parseAuthBody, type AuthRequest } from './handshake.ts';
import type { Tokens } from './tokens.ts';

export interface AuthenticatorOptions {
  tokens: Tokens;
  /** Where a token's user is looked up: a token is only as good as the account it names. */
  storage: Pick<Storage, 'userById'>;
  /** The key business backends push with (IM_API_KEY). */
  apiKey: string;
  /** Room prefixes anonymous viewers may join (IM_ANONYMOUS_ROOMS). */
  anonymousRooms: string[];
}

/** A socket's caller: what its op-7 body asked for and who it is (0 = anonymous viewer). */
export interface SocketCaller {
  request: AuthRequest;
  mid: number;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Decides who a caller is, with one rule set for every way in:
 * - a socket (its op-7 body, which comets forward over gRPC `Connect`): a user token, or nothing
 *   for an anonymous viewer where anonymous viewers are allowed;
 * - HTTP: `Authorization: Bearer <user token>` for the user API, `Bearer <API key>` for pushes.
 * A user token must be valid, unexpired and name a user that exists now: a token minted elsewhere
 * with the shared secret, or one that outlived its account, is refused on every transport.
 * The gRPC calls after `Connect` carry the identity this class gave the connection; the logic gRPC
 * port itself takes no credentials (its callers are comets and internal pushers).
 * Refusals are AuthRefused (RoomRefused for rooms); each transport answers them its own way.
 */
export class Authenticator {
  readonly #o: AuthenticatorOptions;
  readonly #apiKey: Buffer;

  constructor(options: AuthenticatorOptions) {
    this.#o = options;
    this.#apiKey = Buffer.from(options.apiKey);
  }

  /** The caller of an op-7 body, in either dialect. */
  async socket(authBody: Buffer): Promise<SocketCaller> {
    const request = parseAuthBody(authBody);
    if (request.token) return { request, mid: await this.#userOf(request.token) };
    if (request.claimedMid !== 0) throw new AuthRefused('a token is required');
    if (!this.#anonymousAllowed(request.room)) throw new AuthRefused('anonymous viewers are not allowed in this room');
    return { request, mid: 0 };
  }

  /** The user id of an `Authorization: Bearer <user token>` header. */
  user(authorization: string | undefined): Promise<number> {
    const token = bearer(authorization);
    if (token === undefined) return Promise.reject(new AuthRefused('missing bearer token'));
    return this.#userOf(token);
  }

  /** Throws AuthRefused unless the header is `Authorization: Bearer <API key>`. */
  apiKey(authorization: string | undefined): void {
    const given = Buffer.from(bearer(authorization) ?? '');
    if (given.length !== this.#apiKey.length || !timingSafeEqual(given, this.#apiKey)) throw new AuthRefused('missing or wrong API key');
  }

  /** Throws RoomRefused unless connection user `mid` may move to `room` ('' = leave the room). */
  checkRoom(mid: number, room: string): void {
    if (room && !isRoomId(room)) throw new RoomRefused(ROOM_ID_RULE);
    if (mid === 0 && !this.#anonymousAllowed(room)) throw new RoomRefused('anonymous viewers may not join this room');
  }

  async #userOf(token: string): Promise<number> {
    const id = await this.#o.tokens.verify(token).catch(() => undefined);
    if (id === undefined) throw new AuthRefused('invalid or expired token');
    if ((await this.#o.storage.userById(id)) === undefined) throw new AuthRefused('the token names no user');
    return id;
  }

  #anonymousAllowed(room: string): boolean {
    return room !== '' && this.#o.anonymousRooms.some((prefix) => room.startsWith(prefix));
  }
}

/** The credential of an `Authorization: Bearer <credential>` header; undefined for any other form. */
function bearer(authorization: string | undefined): string | undefined {
  return BEARER.exec(authorization ?? '')?.[1];
}
