import type { Storage } from '@imcluster/storage';
import { SocialError } from './errors.ts';
import type { Notices } from './notices.ts';
import { requireOther, requireUser } from './people.ts';

export type FriendState = 'requested' | 'accepted' | 'already';

/**
 * Friend requests and friendships of the acting user `me`. A request to someone who asked first
 * makes them friends at once. Blocks are one-way: a user who blocked `me` gets no request from
 * `me`, and `me` must lift its own block before asking.
 */
export class Friends {
  readonly #storage: Storage;
  readonly #notices: Notices;

  constructor(storage: Storage, notices: Notices) {
    this.#storage = storage;
    this.#notices = notices;
  }

  async request(me: number, to: number): Promise<{ state: FriendState }> {
    requireOther(me, to, 'befriend');
    await requireUser(this.#storage, to);
    const [blockedMe, blockedByMe] = await Promise.all([this.#storage.isBlocked(to, me), this.#storage.isBlocked(me, to)]);
    if (blockedMe) throw new SocialError('FORBIDDEN', `user ${to} does not accept friend requests from you`);
    if (blockedByMe) throw new SocialError('CONFLICT', `you blocked user ${to}; unblock first`);
    const state = await this.#storage.requestFriend(me, to);
    if (state === 'requested') await this.#notices.send([to], { type: 'friend_request', from: me });
    if (state === 'accepted') await this.#notices.send([to, me], { type: 'friend_accepted', from: to, by: me });
    return { state };
  }

  /** Accepts the pending request of `from`; 'already' when they are friends, NOT_FOUND when there is none. */
  async accept(me: number, from: number): Promise<{ state: Exclude<FriendState, 'requested'> }> {
    requireOther(me, from, 'befriend');
    if (await this.#storage.acceptFriend(me, from)) {
      await this.#notices.send([from, me], { type: 'friend_accepted', from, by: me });
      return { state: 'accepted' };
    }
    if (await this.#storage.areFriends(me, from)) return { state: 'already' };
    throw new SocialError('NOT_FOUND', `no friend request from user ${from}`);
  }

  async requests(me: number): Promise<{ from: number[] }> {
    return { from: await this.#storage.friendRequestsTo(me) };
  }

  async remove(me: number, friend: number): Promise<void> {
    requireOther(me, friend, 'unfriend');
    if (!(await this.#storage.removeFriend(me, friend))) throw new SocialError('NOT_FOUND', `user ${friend} is not your friend`);
    await this.#notices.send([friend, me], { type: 'friend_removed', user: friend, by: me });
  }

  async list(me: number): Promise<{ friends: number[] }> {
    return { friends: await this.#storage.friendsOf(me) };
  }
}
