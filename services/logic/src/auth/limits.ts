import { ImError } from '@imcluster/common';
import type { Limiter, LimitStore, Verdict } from '@imcluster/limits';

export interface AuthLimitsOptions {
  store: LimitStore;
  /** Login and registration attempts per client address per minute (IM_AUTH_ADDRESS_PER_MIN); 0 = no limit. */
  perAddressPerMin: number;
  /** Login attempts per account without a success before it is locked (IM_AUTH_ACCOUNT_ATTEMPTS). */
  accountAttempts: number;
  /** The window of those attempts and the lockout that follows, seconds (IM_AUTH_LOCKOUT_SEC). */
  lockoutSec: number;
}

/**
 * How often login and registration may be tried, counted in the cluster's limit store (Redis in a
 * cluster, memory in standalone): per client address, and per account name for logins, where a
 * success forgets the earlier failures and `accountAttempts` failures in a row lock the name for
 * `lockoutSec` (whoever tries it, so guessing one password from many addresses stops too). A
 * refusal is RATE_LIMITED (429 with Retry-After).
 */
export class AuthLimits {
  readonly #address: Limiter | undefined;
  readonly #account: Limiter;

  constructor(o: AuthLimitsOptions) {
    this.#address = o.perAddressPerMin > 0 ? o.store.limiter({ name: 'auth-address', points: o.perAddressPerMin, durationSec: 60 }) : undefined;
    this.#account = o.store.limiter({ name: 'login-account', points: o.accountAttempts, durationSec: o.lockoutSec, blockSec: o.lockoutSec });
  }

  /** One login or registration attempt from `address`. */
  async attemptFrom(address: string): Promise<void> {
    if (this.#address) refuse(await this.#address.take(address), 'too many login or registration attempts from this address');
  }

  /** One login attempt for account `name` (counted before the password is checked). */
  async attemptOn(name: string): Promise<void> {
    refuse(await this.#account.take(name), 'too many failed logins for this account; it is locked for a while');
  }

  /** The password was right: earlier failures on `name` no longer count. */
  async succeeded(name: string): Promise<void> {
    await this.#account.reset(name);
  }
}

function refuse(verdict: Verdict, message: string): void {
  if (!verdict.allowed) throw new ImError('RATE_LIMITED', message, { retryAfterMs: verdict.retryAfterMs });
}
