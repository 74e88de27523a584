import { SignJWT, jwtVerify } from 'jose';

/** Who a valid user token names: the user, the token version it was minted under, when it expires. */
export interface TokenClaims {
  user: number;
  /** The `ver` claim; tokens without one (minted elsewhere) count as version 0. */
  version: number;
  /** ms since the epoch; 0 when the token has no `exp`. */
  expiresAt: number;
}

const INVITE = 'invite';

/**
 * HS256 tokens. User tokens: `sub` is the user id, `ver` the user's token version when it was
 * minted (the authenticator refuses a token whose version is no longer the user's). Tokens minted
 * by another service with the same secret are accepted. Invites: `purpose: "invite"`, no `sub`.
 */
export class Tokens {
  readonly #key: Uint8Array;
  readonly #ttlSec: number;

  constructor(secret: string, ttlSec: number) {
    this.#key = new TextEncoder().encode(secret);
    this.#ttlSec = ttlSec;
  }

  mint(userId: number, version: number): Promise<string> {
    return this.#sign({ ver: version }, this.#ttlSec, String(userId));
  }

  /** Resolves the claims, or rejects when the token is malformed, forged, expired or has no numeric `sub`. */
  async verify(token: string): Promise<TokenClaims> {
    const { payload } = await jwtVerify(token, this.#key, { algorithms: ['HS256'] });
    const user = Number(payload.sub);
    if (!Number.isSafeInteger(user) || user <= 0) throw new Error('token subject is not a user id');
    const version = typeof payload.ver === 'number' ? payload.ver : 0;
    return { user, version, expiresAt: (payload.exp ?? 0) * 1000 };
  }

  /** An invite code for registration when IM_REGISTRATION=invite: valid for `ttlSec`, any number of times. */
  async mintInvite(ttlSec: number): Promise<{ invite: string; expiresAt: number }> {
    const invite = await this.#sign({ purpose: INVITE }, ttlSec);
    return { invite, expiresAt: (Math.floor(Date.now() / 1000) + ttlSec) * 1000 };
  }

  /** True for an unexpired invite minted with this secret. */
  async isInvite(code: string): Promise<boolean> {
    const verified = await jwtVerify(code, this.#key, { algorithms: ['HS256'] }).catch(() => undefined);
    return verified?.payload.purpose === INVITE;
  }

  #sign(claims: Record<string, unknown>, ttlSec: number, subject?: string): Promise<string> {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime(`${ttlSec}s`);
    return (subject === undefined ? jwt : jwt.setSubject(subject)).sign(this.#key);
  }
}
