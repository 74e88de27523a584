import { ImError } from '@imcluster/common';
import { CloseCode } from '@imcluster/protocol';
import { StorageError, type Storage } from '@imcluster/storage';
import type { Logger } from '@imcluster/common';
import type { LimitStore } from '@imcluster/limits';
import type { Routing } from '@imcluster/routing';
import { AuthLimits } from './auth/limits.ts';
import { checkPassword } from './auth/password_policy.ts';
import { PasswordHasher } from './auth/passwords.ts';
import type { Tokens } from './auth/tokens.ts';
import type { CometDirectory } from './comet_directory.ts';
import type { LogicConfig } from './config.ts';
import { UserSockets } from './user_sockets.ts';

/** Who may register (IM_REGISTRATION): anyone, nobody, or callers with an invite from the API-key route. */
export type RegistrationMode = 'open' | 'closed' | 'invite';

export interface UsersOptions {
  storage: Storage;
  tokens: Tokens;
  hasher: PasswordHasher;
  limits: AuthLimits;
  sockets: UserSockets;
  registration: RegistrationMode;
  passwordMinLength: number;
}

export interface Account {
  id: number;
  name: string;
  token: string;
}

/** Users from logic's account settings and the parts it works with. */
export function createUsers(
  a: LogicConfig['accounts'],
  deps: { storage: Storage; tokens: Tokens; limits: LimitStore; routing: Routing; comets: CometDirectory; logger: Logger },
): Users {
  return new Users({
    storage: deps.storage,
    tokens: deps.tokens,
    hasher: new PasswordHasher({ concurrency: a.hashConcurrency, queue: a.hashQueue }),
    limits: new AuthLimits({ store: deps.limits, perAddressPerMin: a.perAddressPerMin, accountAttempts: a.accountAttempts, lockoutSec: a.lockoutSec }),
    sockets: new UserSockets(deps.routing, deps.comets, deps.logger),
    registration: a.registration,
    passwordMinLength: a.passwordMinLength,
  });
}

/** Registration, login, logout and password changes; the first two and the last answer with a token. */
export class Users {
  readonly #o: UsersOptions;

  constructor(options: UsersOptions) {
    this.#o = options;
  }

  async register(name: string, password: string, from: { address: string; invite?: string | undefined }): Promise<Account> {
    await this.#o.limits.attemptFrom(from.address);
    await this.#admit(from.invite);
    checkPassword(password, name, this.#o.passwordMinLength);
    const hash = await this.#o.hasher.hash(password);
    try {
      const user = await this.#o.storage.createUser(name, hash);
      return { id: user.id, name: user.name, token: await this.#o.tokens.mint(user.id, user.tokenVersion) };
    } catch (error) {
      if (error instanceof StorageError && error.code === 'DUPLICATE') throw new ImError('DUPLICATE', 'name already taken', { cause: error });
      throw error;
    }
  }

  async login(name: string, password: string, address: string): Promise<Account> {
    await this.#o.limits.attemptFrom(address);
    await this.#o.limits.attemptOn(name);
    const user = await this.#o.storage.userByName(name);
    // Hash even for unknown names so response time does not reveal which names exist.
    const ok = user ? await this.#o.hasher.verify(password, user.passwordHash) : (await this.#o.hasher.hash(password), false);
    if (!user || !ok) throw new ImError('UNAUTHORIZED', 'wrong name or password');
    await this.#o.limits.succeeded(name);
    return { id: user.id, name: user.name, token: await this.#o.tokens.mint(user.id, user.tokenVersion) };
  }

  /** Revokes every token of the user and closes its connections (3510). */
  async logout(id: number): Promise<void> {
    if ((await this.#o.storage.revokeTokens(id)) === undefined) throw new ImError('NOT_FOUND', `no user ${id}`);
    await this.#o.sockets.close(id, CloseCode.TOKEN_REVOKED, 'logged out');
  }

  /**
   * Sets a new password when `current` is right (FORBIDDEN otherwise; the attempts count like
   * logins), revokes every earlier token, closes the user's connections (3510), and answers a new
   * token.
   */
  async changePassword(id: number, current: string, next: string): Promise<Account> {
    const user = await this.#o.storage.userById(id);
    if (!user) throw new ImError('NOT_FOUND', `no user ${id}`);
    await this.#o.limits.attemptOn(user.name);
    if (!(await this.#o.hasher.verify(current, user.passwordHash))) throw new ImError('FORBIDDEN', 'the current password is wrong');
    await this.#o.limits.succeeded(user.name);
    checkPassword(next, user.name, this.#o.passwordMinLength);
    const version = await this.#o.storage.revokeTokens(id, await this.#o.hasher.hash(next));
    if (version === undefined) throw new ImError('NOT_FOUND', `no user ${id}`);
    await this.#o.sockets.close(id, CloseCode.TOKEN_REVOKED, 'password changed');
    return { id, name: user.name, token: await this.#o.tokens.mint(id, version) };
  }

  /** An invite for registration (IM_REGISTRATION=invite), valid for `ttlSec`. */
  invite(ttlSec: number): Promise<{ invite: string; expiresAt: number }> {
    return this.#o.tokens.mintInvite(ttlSec);
  }

  async #admit(invite: string | undefined): Promise<void> {
    if (this.#o.registration === 'open') return;
    if (this.#o.registration === 'closed') throw new ImError('FORBIDDEN', 'registration is closed');
    if (!invite || !(await this.#o.tokens.isInvite(invite))) throw new ImError('FORBIDDEN', 'registration needs a valid invite');
  }
}
