import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { groupLimits, StorageError, type Group, type Storage } from '../src/storage.ts';
import type { TestDatabase } from './storage.contract.ts';

const isInvalid = (error: unknown) => error instanceof StorageError && error.code === 'INVALID';

/** 1, 2, ..., n. */
const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/** How many of the results are true. */
const wins = (results: boolean[]) => results.filter(Boolean).length;

/**
 * The groups, friends and blocks part of the Storage contract. User ids are plain numbers: the
 * storage does not check them against the users table. `makeDatabase` creates an empty database
 * and registers its removal on `t`.
 */
export function socialContract(makeDatabase: (t: TestContext) => Promise<TestDatabase>): void {
  async function migrated(t: TestContext): Promise<{ db: TestDatabase; storage: Storage }> {
    const db = await makeDatabase(t);
    const storage = db.open();
    await storage.migrate();
    return { db, storage };
  }

  describe('groups', () => {
    it('createGroup() stores the group with its owner as the only member; names are kept as given', async (t) => {
      const { storage } = await migrated(t);
      const before = Date.now();
      const group = await storage.createGroup(7, 'Zoë 😀 team');
      assert.ok(Number.isSafeInteger(group.id) && group.id > 0);
      assert.deepEqual(group, { id: group.id, name: 'Zoë 😀 team', owner: 7, createdAt: group.createdAt, dissolvedAt: null });
      assert.ok(Math.abs(group.createdAt.getTime() - before) < 60_000);
      assert.deepEqual(await storage.groupById(group.id), group);
      assert.equal(await storage.groupRole(group.id, 7), 'owner');
      assert.deepEqual(await storage.groupMembers(group.id), [{ user: 7, role: 'owner' }]);
      assert.deepEqual(await storage.groupsOf(7), [group]);

      const longest = await storage.createGroup(7, '😀'.repeat(groupLimits.nameChars));
      const spaced = await storage.createGroup(8, ' trailing ');
      assert.ok(longest.id > group.id && spaced.id > longest.id, 'ids grow');
      assert.deepEqual(await storage.groupById(longest.id), longest);
      assert.deepEqual(await storage.groupById(spaced.id), spaced);
      assert.equal(await storage.groupById(spaced.id + 1_000), undefined);
      assert.equal(await storage.groupRole(spaced.id + 1_000, 7), undefined);
      assert.deepEqual(await storage.groupMembers(spaced.id + 1_000), []);
    });

    it('addGroupMember(), setGroupRole() and removeGroupMember() keep exactly one owner', async (t) => {
      const { storage } = await migrated(t);
      const { id } = await storage.createGroup(50, 'roles');
      assert.equal(await storage.addGroupMember(id, 90, 'member'), true);
      assert.equal(await storage.addGroupMember(id, 10, 'admin'), true);
      assert.equal(await storage.addGroupMember(id, 90, 'admin'), false, 'a member already');
      assert.equal(await storage.addGroupMember(id, 50, 'member'), false, 'the owner is a member already');
      assert.deepEqual(await storage.groupMembers(id), [
        { user: 10, role: 'admin' },
        { user: 50, role: 'owner' },
        { user: 90, role: 'member' },
      ], 'ascending by user id, roles as added');

      assert.equal(await storage.setGroupRole(id, 90, 'admin'), true);
      assert.equal(await storage.setGroupRole(id, 90, 'admin'), true, 'the role it has already');
      assert.equal(await storage.setGroupRole(id, 10, 'member'), true);
      assert.equal(await storage.setGroupRole(id, 50, 'member'), false, 'the owner is never demoted');
      assert.equal(await storage.setGroupRole(id, 77, 'admin'), false, 'not a member');
      assert.equal(await storage.groupRole(id, 90), 'admin');
      assert.equal(await storage.groupRole(id, 10), 'member');
      assert.equal(await storage.groupRole(id, 77), undefined);

      assert.equal(await storage.removeGroupMember(id, 50), false, 'the owner leaves only by dissolving');
      assert.equal(await storage.removeGroupMember(id, 90), true);
      assert.equal(await storage.removeGroupMember(id, 90), false, 'removed already');
      assert.equal(await storage.groupRole(id, 90), undefined);
      assert.equal(await storage.addGroupMember(id, 90, 'member'), true, 'may be added again');
      assert.deepEqual(await storage.groupMembers(id), [
        { user: 10, role: 'member' },
        { user: 50, role: 'owner' },
        { user: 90, role: 'member' },
      ]);
    });

    it('groupsOf() lists the live groups a user is in; dissolveGroup() works once and empties the group', async (t) => {
      const { storage } = await migrated(t);
      const [a, b, c] = [await storage.createGroup(1, 'a'), await storage.createGroup(2, 'b'), await storage.createGroup(3, 'c')];
      await storage.addGroupMember(c.id, 9, 'member');
      await storage.addGroupMember(a.id, 9, 'admin');
      await storage.addGroupMember(b.id, 9, 'member');
      await storage.addGroupMember(b.id, 1, 'member');
      assert.deepEqual(await storage.groupsOf(9), [a, b, c], 'ascending by id');
      assert.deepEqual(await storage.groupsOf(1), [a, b]);
      assert.deepEqual(await storage.groupsOf(4), []);

      assert.equal(await storage.dissolveGroup(b.id), true);
      assert.equal(await storage.dissolveGroup(b.id), false, 'dissolved already');
      assert.equal(await storage.dissolveGroup(c.id + 1_000), false, 'no such group');
      const dissolved = await storage.groupById(b.id);
      assert.ok(dissolved?.dissolvedAt instanceof Date, 'the group stays, marked dissolved');
      assert.deepEqual(dissolved, { ...b, dissolvedAt: dissolved.dissolvedAt });
      assert.deepEqual(await storage.groupMembers(b.id), []);
      for (const user of [1, 2, 9]) assert.equal(await storage.groupRole(b.id, user), undefined, `user ${user}`);
      assert.deepEqual(await storage.groupsOf(9), [a, c]);
      assert.deepEqual(await storage.groupsOf(2), []);
      assert.equal(await storage.addGroupMember(b.id, 5, 'member'), false, 'no joining a dissolved group');
      assert.equal(await storage.addGroupMember(c.id + 1_000, 5, 'member'), false, 'nor an unknown one');
      assert.equal(await storage.setGroupRole(b.id, 9, 'admin'), false);
      assert.deepEqual(await storage.groupMembers(b.id), []);
      const next = await storage.createGroup(2, 'b again');
      assert.ok(next.id > c.id, 'ids are not reused');
    });

    it('concurrent adds of one user: exactly one true; of different users: all true', async (t) => {
      const { db, storage } = await migrated(t);
      const clients = [storage, db.open(), db.open()];
      const { id } = await storage.createGroup(1, 'busy');
      const same = await Promise.all(upTo(12).map((i) => clients[i % 3]!.addGroupMember(id, 42, i % 2 ? 'admin' : 'member')));
      assert.equal(wins(same), 1, `results: ${same}`);
      const different = await Promise.all(upTo(20).map((i) => clients[i % 3]!.addGroupMember(id, 100 + i, 'member')));
      assert.equal(wins(different), 20);
      assert.equal((await storage.groupMembers(id)).length, 22);
    });

    it('concurrent dissolves: exactly one true; adds racing a dissolve leave no member behind', async (t) => {
      const { db, storage } = await migrated(t);
      const clients = [storage, db.open(), db.open()];
      for (let round = 0; round < 5; round++) {
        const { id } = await storage.createGroup(1, `race ${round}`);
        const adds = upTo(10).map((i) => clients[i % 3]!.addGroupMember(id, 10 + i, 'member'));
        const dissolves = upTo(3).map((i) => clients[i % 3]!.dissolveGroup(id));
        const [added, dissolved] = await Promise.all([Promise.all(adds), Promise.all(dissolves)]);
        assert.equal(wins(dissolved), 1, `round ${round}: ${dissolved}`);
        assert.ok(wins(added) <= 10, 'adds that landed first were removed with the rest');
        assert.deepEqual(await storage.groupMembers(id), [], `round ${round}: no member of a dissolved group`);
        const listed = await Promise.all([1, ...upTo(10).map((i) => 10 + i)].map((user) => storage.groupsOf(user)));
        assert.ok(listed.flat().every((group) => group.id !== id), `round ${round}: listed nowhere`);
      }
    });
  });

  describe('friends and blocks', () => {
    it('requestFriend(): requested, repeated, accepted by the reverse request, then already', async (t) => {
      const { storage } = await migrated(t);
      assert.equal(await storage.requestFriend(1, 2), 'requested');
      assert.equal(await storage.requestFriend(1, 2), 'requested', 'a repeated request stays pending');
      assert.equal(await storage.areFriends(1, 2), false);
      assert.deepEqual(await storage.friendRequestsTo(2), [1]);
      assert.deepEqual(await storage.friendRequestsTo(1), [], 'a request is not to its sender');
      assert.equal(await storage.requestFriend(2, 1), 'accepted', 'the reverse request makes them friends');
      assert.equal(await storage.areFriends(1, 2), true);
      assert.equal(await storage.areFriends(2, 1), true);
      assert.deepEqual(await storage.friendRequestsTo(2), []);
      assert.equal(await storage.requestFriend(1, 2), 'already');
      assert.equal(await storage.requestFriend(2, 1), 'already');
      assert.deepEqual(await storage.friendsOf(1), [2]);
      assert.deepEqual(await storage.friendsOf(2), [1]);
    });

    it('acceptFriend() needs a pending request from that user; friend lists are ascending', async (t) => {
      const { storage } = await migrated(t);
      for (const from of [30, 5, 20]) assert.equal(await storage.requestFriend(from, 10), 'requested');
      await storage.requestFriend(10, 40);
      assert.deepEqual(await storage.friendRequestsTo(10), [5, 20, 30], 'ascending; not the request 10 sent');
      assert.equal(await storage.acceptFriend(40, 10), true);
      assert.equal(await storage.acceptFriend(10, 40), false, 'that request was 10\u2019s own and is accepted');
      assert.equal(await storage.acceptFriend(10, 99), false, 'no request');
      assert.equal(await storage.acceptFriend(10, 20), true);
      assert.equal(await storage.acceptFriend(10, 20), false, 'accepted already');
      assert.equal(await storage.acceptFriend(30, 10), false, 'the sender cannot accept its own request');
      assert.deepEqual(await storage.friendRequestsTo(10), [5, 30]);
      assert.equal(await storage.acceptFriend(10, 5), true);
      assert.deepEqual(await storage.friendsOf(10), [5, 20, 40]);
      assert.deepEqual(await storage.friendsOf(20), [10]);
      assert.deepEqual(await storage.friendsOf(30), [], 'a pending request is no friendship');
    });

    it('removeFriend() ends a friendship only; a new request starts over', async (t) => {
      const { storage } = await migrated(t);
      await storage.requestFriend(3, 4);
      assert.equal(await storage.removeFriend(3, 4), false, 'a pending request is not a friendship');
      assert.deepEqual(await storage.friendRequestsTo(4), [3], 'and stays pending');
      await storage.acceptFriend(4, 3);
      assert.equal(await storage.removeFriend(4, 3), true, 'either side may remove');
      assert.equal(await storage.removeFriend(3, 4), false, 'removed already');
      assert.equal(await storage.areFriends(3, 4), false);
      assert.deepEqual(await storage.friendsOf(3), []);
      assert.equal(await storage.requestFriend(4, 3), 'requested', 'no request left behind');
      assert.deepEqual(await storage.friendRequestsTo(3), [4]);
    });

    it('two users requesting each other at once become friends: one requested, one accepted', async (t) => {
      const { db, storage } = await migrated(t);
      const other = db.open();
      const pairs = upTo(10).map((i) => [2 * i, 2 * i + 1] as const);
      const results = await Promise.all(pairs.map(([a, b]) => Promise.all([storage.requestFriend(a, b), other.requestFriend(b, a)])));
      for (const [i, result] of results.entries()) {
        assert.deepEqual([...result].sort(), ['accepted', 'requested'], `pair ${i}`);
        assert.equal(await storage.areFriends(...pairs[i]!), true);
      }
      const [a, b] = [100, 101];
      await storage.requestFriend(a, b);
      const accepts = await Promise.all(upTo(6).map((i) => (i % 2 ? storage : other).acceptFriend(b, a)));
      assert.equal(wins(accepts), 1, `accepts: ${accepts}`);
    });

    it('block() is one-way, independent of friendship, and true once', async (t) => {
      const { db, storage } = await migrated(t);
      await storage.requestFriend(1, 2);
      await storage.acceptFriend(2, 1);
      assert.equal(await storage.block(1, 2), true);
      assert.equal(await storage.block(1, 2), false, 'blocked already');
      assert.equal(await storage.isBlocked(1, 2), true);
      assert.equal(await storage.isBlocked(2, 1), false, 'one-way');
      assert.equal(await storage.areFriends(1, 2), true, 'blocking keeps the friendship');
      for (const target of [9, 3]) await storage.block(1, target);
      assert.deepEqual(await storage.blockedBy(1), [2, 3, 9]);
      assert.deepEqual(await storage.blockedBy(2), []);
      assert.equal(await storage.unblock(1, 3), true);
      assert.equal(await storage.unblock(1, 3), false, 'unblocked already');
      assert.equal(await storage.unblock(2, 1), false, 'never blocked');
      assert.deepEqual(await storage.blockedBy(1), [2, 9]);
      const other = db.open();
      const blocks = await Promise.all(upTo(6).map((i) => (i % 2 ? storage : other).block(5, 6)));
      assert.equal(wins(blocks), 1, `blocks: ${blocks}`);
    });
  });

  it('rejects bad social input with StorageError INVALID before touching the database', async (t) => {
    const db = await makeDatabase(t);
    const unmigrated = db.open(); // no tables: an input that reached the database would fail otherwise
    const rejected: [string, () => Promise<unknown>][] = [
      ['empty group name', () => unmigrated.createGroup(1, '')],
      ['group name of 65 characters', () => unmigrated.createGroup(1, 'n'.repeat(groupLimits.nameChars + 1))],
      ['group name with a lone surrogate', () => unmigrated.createGroup(1, 'a\uD800')],
      ['group name not a string', () => unmigrated.createGroup(1, 42 as unknown as string)],
      ['owner 0', () => unmigrated.createGroup(0, 'g')],
      ['group id 0', () => unmigrated.groupById(0)],
      ['group id 1.5', () => unmigrated.groupRole(1.5, 1)],
      ['user NaN', () => unmigrated.groupRole(1, Number.NaN)],
      ['negative group id', () => unmigrated.groupMembers(-1)],
      ['adding an owner', () => unmigrated.addGroupMember(1, 2, 'owner' as 'admin')],
      ['unknown role', () => unmigrated.setGroupRole(1, 2, 'boss' as 'admin')],
      ['removing user 0', () => unmigrated.removeGroupMember(1, 0)],
      ['groupsOf an unsafe integer', () => unmigrated.groupsOf(2 ** 53)],
      ['dissolving group 0', () => unmigrated.dissolveGroup(0)],
      ['befriending yourself', () => unmigrated.requestFriend(3, 3)],
      ['accepting yourself', () => unmigrated.acceptFriend(3, 3)],
      ['accepting from user -1', () => unmigrated.acceptFriend(3, -1)],
      ['requests to user 0', () => unmigrated.friendRequestsTo(0)],
      ['removing yourself', () => unmigrated.removeFriend(4, 4)],
      ['friends of NaN', () => unmigrated.friendsOf(Number.NaN)],
      ['areFriends with 0', () => unmigrated.areFriends(1, 0)],
      ['blocking yourself', () => unmigrated.block(5, 5)],
      ['unblocking yourself', () => unmigrated.unblock(5, 5)],
      ['isBlocked by 1.5', () => unmigrated.isBlocked(1.5, 2)],
      ['blockedBy 0', () => unmigrated.blockedBy(0)],
    ];
    for (const [what, call] of rejected) {
      await assert.rejects(call(), isInvalid, what);
    }
    assert.equal(await unmigrated.areFriends(6, 6), false, 'nobody is their own friend, answered without a query');
    assert.equal(await unmigrated.isBlocked(6, 6), false);
    const storage = db.open();
    await storage.migrate();
    assert.deepEqual(await storage.groupsOf(1), [], 'nothing stored');
    assert.deepEqual(await storage.friendRequestsTo(3), []);
    const longest: Group = await storage.createGroup(1, 'n'.repeat(groupLimits.nameChars));
    assert.equal(longest.name.length, groupLimits.nameChars, 'the limit itself is fine');
  });
}
