import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { ImError } from '@imcluster/common';
import { AuthRefused } from './errors.ts';

export interface IdpTokensOptions {
  /** The identity provider's JSON Web Key Set (IM_AUTH_JWKS_URL). */
  jwksUrl: string;
  /** Required `iss`; undefined = not checked. */
  issuer: string | undefined;
  /** Required `aud`; undefined = not checked. */
  audience: string | undefined;
  /** The claim holding the user's id at the provider (`sub` usually). */
  userClaim: string;
  algorithms: string[];
  /** Least time between two fetches of the key set, ms: a token with an unknown `kid` refetches at most this often. */
  cooldownMs: number;
}

/** Who an identity provider's token names: the external subject (`jwks:<iss>:<user claim>`) and its expiry. */
export interface IdpClaims {
  subject: string;
  /** ms since the epoch; 0 when the token has no `exp`. */
  expiresAt: number;
}

/** jose's failures that say the token is bad, as opposed to the key set being out of reach. */
const TOKEN_FAULTS = new Set<string>([
  errors.JWTExpired.code,
  errors.JWTClaimValidationFailed.code,
  errors.JWTInvalid.code,
  errors.JWSInvalid.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
]);

/**
 * Tokens an identity provider signs with RS256, ES256 or EdDSA, checked against its key set.
 * jose's remote key set fetches the set on first use, keeps it (10 min), and refetches when a
 * token names a `kid` it does not hold (key rotation), at most once per `cooldownMs`.
 */
export class IdpTokens {
  readonly #o: IdpTokensOptions;
  readonly #keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(options: IdpTokensOptions) {
    this.#o = options;
    this.#keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: options.cooldownMs });
  }

  /** True for a token signed with one of the provider's algorithms (ours are HS256). */
  handles(token: string): boolean {
    try {
      return this.#o.algorithms.includes(decodeProtectedHeader(token).alg ?? '');
    } catch {
      return false;
    }
  }

  /** Rejects with AuthRefused for a bad token, UNAVAILABLE when the key set cannot be fetched. */
  async verify(token: string): Promise<IdpClaims> {
    const { issuer, audience, userClaim, algorithms } = this.#o;
    const { payload } = await jwtVerify(token, this.#keys, { algorithms, ...(issuer && { issuer }), ...(audience && { audience }) }).catch((error: unknown) => {
      if (error instanceof errors.JOSEError && TOKEN_FAULTS.has(error.code)) throw new AuthRefused(`invalid identity-provider token: ${error.message}`);
      throw new ImError('UNAVAILABLE', 'the identity provider key set could not be fetched', { cause: error });
    });
    const user = payload[userClaim];
    if ((typeof user !== 'string' || user === '') && typeof user !== 'number') throw new AuthRefused(`the identity-provider token has no ${userClaim} claim`);
    return { subject: `jwks:${payload.iss ?? ''}:${user}`, expiresAt: (payload.exp ?? 0) * 1000 };
  }
}
