import type { Logger } from '@imcluster/common';
import type { Storage } from '@imcluster/storage';
import type { PushService } from '../push.ts';
import { Blocks } from './blocks.ts';
import { SocialError } from './errors.ts';
import { Friends } from './friends.ts';
import { Groups } from './groups.ts';
import { Notices } from './notices.ts';
import { requireUser, type PublicUser } from './people.ts';

export interface SocialDeps {
  storage: Storage;
  push: PushService;
  logger: Logger;
  /** The push service's receiver limit per call (IM_PUSH_MAX_TARGETS). */
  pushMaxTargets: number;
}

/**
 * The user-facing social API: user lookup, friends, blocks and groups, each call made as the user
 * the authenticator found. Rules live here; the HTTP routes only translate.
 */
export class Social {
  readonly friends: Friends;
  readonly blocks: Blocks;
  readonly groups: Groups;
  readonly #storage: Storage;

  constructor(deps: SocialDeps) {
    const notices = new Notices(deps.push, deps.logger, deps.pushMaxTargets);
    this.#storage = deps.storage;
    this.friends = new Friends(deps.storage, notices);
    this.blocks = new Blocks(deps.storage);
    this.groups = new Groups(deps.storage, notices);
  }

  user(id: number): Promise<PublicUser> {
    return requireUser(this.#storage, id);
  }

  async userNamed(name: string): Promise<PublicUser> {
    const user = await this.#storage.userByName(name);
    if (user === undefined) throw new SocialError('NOT_FOUND', `no user named ${name}`);
    return { id: user.id, name: user.name };
  }
}
