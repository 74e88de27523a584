import { SignJWT, jwtVerify } from 'jose';

/** HS256 user tokens: `sub` is the user id. Tokens minted by another service with the same secret are accepted. */
export class Tokens {
  readonly #key: Uint8Array;
  readonly #ttlSec: number;

  constructor(secret: string, ttlSec: number) {
    this.#key = new TextEncoder().encode(secret);
    this.#ttlSec = ttlSec;
  }

  mint(userId: number): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(userId))
      .setIssuedAt()
      .setExpirationTime(`${this.#ttlSec}s`)
      .sign(this.#key);
  }

  /** Resolves the user id, or rejects when the token is malformed, forged, expired or has no numeric `sub`. */
  async verify(token: string): Promise<number> {
    const { payload } = await jwtVerify(token, this.#key, { algorithms: ['HS256'] });
    const id = Number(payload.sub);
    if (!Number.isSafeInteger(id) || id <= 0) throw new Error('token subject is not a user id');
    return id;
  }
}
