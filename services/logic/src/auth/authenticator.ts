import { timingSafeEqual } from 'node:crypto';
import { ImError } from '@imcluster/common';
import { isRoomId, ROOM_ID_RULE } from '@imcluster/protocol';
import type { Storage } from '@imcluster/storage';
import type { ConnectOrigin, ConnectProxy, ProxyAllow } from './connect_proxy.ts';
import { AuthRefused, RoomRefused } from './errors.ts';
import { parseAuthBody, type AuthRequest } from './handshake.ts';
import type { IdpTokens } from './idp_tokens.ts';
import type { TokenClaims, Tokens } from './tokens.ts';

export interface AuthenticatorOptions {
  tokens: Tokens;
  /** Where a token's user is looked up: a token is only as good as the account it names. */
  storage: Pick<Storage, 'userById' | 'userOfSubject'>;
  /** The key business backends push with (IM_API_KEY). */
  apiKey: string;
  /** Room prefixes anonymous viewers may join (IM_ANONYMOUS_ROOMS). */
  anonymousRooms: string[];
  /** When set (IM_AUTH_CONNECT_PROXY_URL), the business backend decides who every socket is. */
  connectProxy?: ConnectProxy;
  /** When set (IM_AUTH_JWKS_URL), an identity provider's RS256/ES256/EdDSA tokens are accepted too. */
  idp?: IdpTokens;
}

/** A socket's caller: what its op-7 body asked for, who it is (0 = anonymous viewer), when its token expires (ms; 0 = never). */
export interface SocketCaller {
  request: AuthRequest;
  mid: number;
  tokenExpiresAt: number;
  /** A JSON object a connect proxy's backend gave the app, "" for none. */
  info: string;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Decides who a caller is, with one rule set for every way in:
 * - a socket (its op-7 body, which comets forward over gRPC `Connect`): a user token, or nothing
 *   for an anonymous viewer where anonymous viewers are allowed; with a connect proxy configured,
 *   the business backend's answer instead (the body is still parsed for its dialect and defaults);
 * - HTTP: `Authorization: Bearer <user token>` for the user API, `Bearer <API key>` for pushes.
 * A user token must be valid, unexpired, name a user that exists now and carry that user's current
 * token version (logout and password changes raise it): a token minted elsewhere with the shared
 * secret, one that outlived its account, or one revoked, is refused on every transport.
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

  /** The caller of an op-7 body, in either dialect, sent through `origin`. */
  async socket(authBody: Buffer, origin: ConnectOrigin): Promise<SocketCaller> {
    const request = parseAuthBody(authBody);
    if (this.#o.connectProxy) return this.#proxied(request, await this.#o.connectProxy.ask(authBody, request.dialect, origin));
    if (request.token) {
      const { user, expiresAt } = await this.#identify(request.token);
      return { request, mid: user, tokenExpiresAt: expiresAt, info: '' };
    }
    if (request.claimedMid !== 0) throw new AuthRefused('a token is required');
    return this.#anonymous(request);
  }

  /** The user id of an `Authorization: Bearer <user token>` header. */
  async user(authorization: string | undefined): Promise<number> {
    const token = bearer(authorization);
    if (token === undefined) throw new AuthRefused('missing bearer token');
    return (await this.#identify(token)).user;
  }

  /** Throws AuthRefused unless the header is `Authorization: Bearer <API key>`. */
  apiKey(authorization: string | undefined): void {
    const given = Buffer.from(bearer(authorization) ?? '');
    if (given.length !== this.#apiKey.length || !timingSafeEqual(given, this.#apiKey)) throw new AuthRefused('missing or wrong API key');
  }

  /**
   * When a fresh token for connection user `mid` expires (ms; 0 = never): the in-band refresh (op
   * 33). Rejects with AuthRefused for a bad token, FORBIDDEN for one naming another user or on an
   * anonymous connection.
   */
  async refresh(mid: number, token: string): Promise<number> {
    if (mid === 0) throw new ImError('FORBIDDEN', 'an anonymous connection has no token to refresh');
    const { user, expiresAt } = await this.#identify(token);
    if (user !== mid) throw new ImError('FORBIDDEN', "the token names another user than the connection's");
    return expiresAt;
  }

  /** Throws RoomRefused unless connection user `mid` may move to `room` ('' = leave the room). */
  checkRoom(mid: number, room: string): void {
    if (room && !isRoomId(room)) throw new RoomRefused(ROOM_ID_RULE);
    if (mid === 0 && !this.#anonymousAllowed(room)) throw new RoomRefused('anonymous viewers may not join this room');
  }

  async #claimsOf(token: string): Promise<TokenClaims> {
    const claims = await this.#o.tokens.verify(token).catch(() => undefined);
    if (claims === undefined) throw new AuthRefused('invalid or expired token');
    const user = await this.#o.storage.userById(claims.user);
    if (user === undefined) throw new AuthRefused('the token names no user');
    if (user.tokenVersion !== claims.version) throw new AuthRefused('the token was revoked (logout or password change)');
    return claims;
  }

  /** A backend's allow, applied to what the body asked for: its room and accepts win when given. */
  async #proxied(asked: AuthRequest, allow: ProxyAllow): Promise<SocketCaller> {
    const request = { ...asked, room: allow.room ?? asked.room, accepts: allow.accepts ?? asked.accepts };
    if (allow.user === 0) return { ...this.#anonymous(request), tokenExpiresAt: allow.expiresAt, info: allow.info };
    return { request, mid: await this.#userOfSubject(allow.user), tokenExpiresAt: allow.expiresAt, info: allow.info };
  }

  #anonymous(request: AuthRequest): SocketCaller {
    if (!this.#anonymousAllowed(request.room)) throw new AuthRefused('anonymous viewers are not allowed in this room');
    return { request, mid: 0, tokenExpiresAt: 0, info: '' };
  }

  /**
   * A number is an imcluster user id, taken as it is (the backend owns its id space, as in goim);
   * a string is the backend's own id of the user, mapped to an imcluster user (created on first sight).
   */
  async #userOfSubject(user: number | string): Promise<number> {
    return typeof user === 'number' ? user : (await this.#o.storage.userOfSubject(`proxy:${user}`)).id;
  }

  /**
   * Who a token names: an identity provider's token (by its algorithm) through the user its subject
   * maps to; otherwise one of ours. Provider tokens are not revocable here: they end at their `exp`.
   */
  async #identify(token: string): Promise<{ user: number; expiresAt: number }> {
    const idp = this.#o.idp;
    if (!idp?.handles(token)) return this.#claimsOf(token);
    const claims = await idp.verify(token);
    return { user: (await this.#o.storage.userOfSubject(claims.subject)).id, expiresAt: claims.expiresAt };
  }

  #anonymousAllowed(room: string): boolean {
    return room !== '' && this.#o.anonymousRooms.some((prefix) => room.startsWith(prefix));
  }
}

/** The credential of an `Authorization: Bearer <credential>` header; undefined for any other form. */
function bearer(authorization: string | undefined): string | undefined {
  return BEARER.exec(authorization ?? '')?.[1];
}
