import type { Storage } from '@imcluster/storage';
import { SocialError } from './errors.ts';
import { requireOther, requireUser } from './people.ts';

/**
 * The acting user's block list. Blocking is silent: nobody is notified, and it keeps any
 * friendship (a blocked user's friend requests are refused; what else a block stops is up to
 * the features that read it).
 */
export class Blocks {
  readonly #storage: Storage;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  /** Idempotent: blocking a blocked user answers the same. */
  async block(me: number, user: number): Promise<{ user: number; blocked: true }> {
    requireOther(me, user, 'block');
    await requireUser(this.#storage, user);
    await this.#storage.block(me, user);
    return { user, blocked: true };
  }

  async unblock(me: number, user: number): Promise<void> {
    requireOther(me, user, 'unblock');
    if (!(await this.#storage.unblock(me, user))) throw new SocialError('NOT_FOUND', `user ${user} is not blocked`);
  }

  async list(me: number): Promise<{ blocked: number[] }> {
    return { blocked: await this.#storage.blockedBy(me) };
  }
}
