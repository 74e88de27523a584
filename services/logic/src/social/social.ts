import type { Logger } from '@imcluster/common';
import type { Storage } from '@imcluster/storage';
import type { Tokens } from '../auth/tokens.ts';
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
  tokens: Tokens;
  logger: Logger;
  /** The push service's receiver limit per call (IM_PUSH_MAX_TARGETS). */
  pushMaxTargets: number;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The user-facing social API: user lookup, friends, blocks and groups, each call made as the user
 * whose token it carries. Rules live here; the HTTP routes only translate.
 */
export class Social {
  readonly friends: Friends;
  readonly blocks: Blocks;
  readonly groups: Groups;
  readonly #storage: Storage;
  readonly #tokens: Tokens;

  constructor(deps: SocialDeps) {
    const notices = new Notices(deps.push, deps.logger, deps.pushMaxTargets);
    this.#storage = deps.storage;
    this.#tokens = deps.tokens;
    this.friends = new Friends(deps.storage, notices);
    this.blocks = new Blocks(deps.storage);
    this.groups = new Groups(deps.storage, notices);
  }

  /**
   * The user id of an `Authorization: Bearer <JWT>` header. The account must exist: a token minted
   * elsewhere with the shared secret could name one that does not.
   */
  async authenticate(authorization: string | undefined): Promise<number> {
    const token = BEARER.exec(authorization ?? '')?.[1];
    if (token === undefined) throw new SocialError('UNAUTHORIZED', 'missing bearer token');
    const id = await this.#tokens.verify(token).catch(() => undefined);
    if (id === undefined) throw new SocialError('UNAUTHORIZED', 'invalid or expired token');
    if ((await this.#storage.userById(id)) === undefined) throw new SocialError('UNAUTHORIZED', 'the token names no user');
    return id;
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
