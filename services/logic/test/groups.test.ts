import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { Op } from '@imcluster/protocol';
import { createUsers, groupsFixture, refusal } from './helpers.ts';

interface Notice {
  type: string;
  group?: number;
  user?: number;
  role?: string;
  by?: number;
  ts: number;
}

/** A group of `owner`, with `admin` as admin and `member` as plain member, plus an `outsider`; notices so far cleared. */
async function setup(t: TestContext) {
  const { groups, storage, producer } = await groupsFixture(t);
  const [owner, admin, member, outsider, extra] = (await createUsers(storage, 5)) as [number, number, number, number, number];
  const { id } = await groups.create(owner, '  team  ');
  await groups.add(owner, id, admin, 'admin');
  await groups.add(owner, id, member, 'member');
  producer.sent.length = 0;
  const members = async () => Object.fromEntries((await storage.groupMembers(id)).map((m) => [m.user, m.role]));
  const notices = () => producer.pushes<Notice>(Op.SystemNotice).map(({ mids, body }) => ({ to: [...mids].sort((a, b) => a - b), body: { ...body, ts: undefined } }));
  return { groups, storage, producer, id, owner, admin, member, outsider, extra, members, notices };
}

const sorted = (...ids: number[]) => ids.sort((a, b) => a - b);

describe('Groups: create', () => {
  it('makes the creator its owner and only member, trims the name, and tells the owner', async (t) => {
    const { groups, storage, producer } = await groupsFixture(t);
    const [owner] = (await createUsers(storage, 1)) as [number];
    const group = await groups.create(owner, '  team  ');
    assert.equal(group.name, 'team');
    assert.equal(group.owner, owner);
    assert.deepEqual(await storage.groupMembers(group.id), [{ user: owner, role: 'owner' }]);
    const [notice] = producer.pushes<Notice>(Op.SystemNotice);
    assert.deepEqual(notice?.mids, [owner]);
    assert.equal(notice?.force, true, 'notices pass any accept filter');
    assert.deepEqual({ ...notice?.body, ts: undefined }, { type: 'group_created', group: group.id, by: owner, ts: undefined });
  });

  it('refuses an empty, too long or unprintable name (INVALID) and creates nothing', async (t) => {
    const { groups, storage, producer } = await groupsFixture(t);
    const [owner] = (await createUsers(storage, 1)) as [number];
    for (const name of ['   ', 'n'.repeat(65), 'a\u0007b']) assert.equal(await refusal(groups.create(owner, name)), 'INVALID', JSON.stringify(name));
    assert.deepEqual(await storage.groupsOf(owner), []);
    assert.equal(producer.sent.length, 0);
  });
});

describe('Groups: adding members', () => {
  it('the owner adds members and admins; every member, the new one included, is told', async (t) => {
    const s = await setup(t);
    assert.deepEqual(await s.groups.add(s.owner, s.id, s.extra, 'admin'), { group: s.id, user: s.extra, role: 'admin' });
    assert.equal((await s.members())[s.extra], 'admin');
    assert.deepEqual(s.notices(), [
      { to: sorted(s.owner, s.admin, s.member, s.extra), body: { type: 'group_member_added', group: s.id, user: s.extra, role: 'admin', by: s.owner, ts: undefined } },
    ]);
  });

  it('an admin adds plain members only', async (t) => {
    const s = await setup(t);
    assert.equal(await refusal(s.groups.add(s.admin, s.id, s.extra, 'admin')), 'FORBIDDEN');
    await s.groups.add(s.admin, s.id, s.extra, 'member');
    assert.equal((await s.members())[s.extra], 'member');
  });

  it('a member or an outsider adds nobody (FORBIDDEN)', async (t) => {
    const s = await setup(t);
    assert.equal(await refusal(s.groups.add(s.member, s.id, s.extra, 'member')), 'FORBIDDEN');
    assert.equal(await refusal(s.groups.add(s.outsider, s.id, s.extra, 'member')), 'FORBIDDEN');
    assert.equal((await s.members())[s.extra], undefined);
    assert.deepEqual(s.notices(), []);
  });

  it('refuses an unknown user or group (NOT_FOUND), a member twice (CONFLICT), and a user who blocked the adder (FORBIDDEN)', async (t) => {
    const s = await setup(t);
    assert.equal(await refusal(s.groups.add(s.owner, s.id, 999_999, 'member')), 'NOT_FOUND');
    assert.equal(await refusal(s.groups.add(s.owner, 999_999, s.extra, 'member')), 'NOT_FOUND');
    assert.equal(await refusal(s.groups.add(s.owner, s.id, s.member, 'member')), 'CONFLICT');
    await s.storage.block(s.extra, s.owner);
    assert.equal(await refusal(s.groups.add(s.owner, s.id, s.extra, 'member')), 'FORBIDDEN');
    assert.equal(Object.keys(await s.members()).length, 3);
    assert.deepEqual(s.notices(), []);
  });
});

describe('Groups: roles', () => {
  it('only the owner promotes and demotes; every member is told of a change, not of a no-op', async (t) => {
    const s = await setup(t);
    await s.groups.setRole(s.owner, s.id, s.member, 'admin');
    await s.groups.setRole(s.owner, s.id, s.member, 'admin');
    assert.equal((await s.members())[s.member], 'admin');
    assert.deepEqual(s.notices(), [
      { to: sorted(s.owner, s.admin, s.member), body: { type: 'group_role_changed', group: s.id, user: s.member, role: 'admin', by: s.owner, ts: undefined } },
    ]);
    await s.groups.setRole(s.owner, s.id, s.admin, 'member');
    assert.equal((await s.members())[s.admin], 'member');
  });

  it('refuses admins and members (FORBIDDEN), the owner on itself (CONFLICT) and non-members (NOT_FOUND)', async (t) => {
    const s = await setup(t);
    assert.equal(await refusal(s.groups.setRole(s.admin, s.id, s.member, 'admin')), 'FORBIDDEN');
    assert.equal(await refusal(s.groups.setRole(s.member, s.id, s.member, 'admin')), 'FORBIDDEN');
    assert.equal(await refusal(s.groups.setRole(s.owner, s.id, s.owner, 'member')), 'CONFLICT');
    assert.equal(await refusal(s.groups.setRole(s.owner, s.id, s.outsider, 'admin')), 'NOT_FOUND');
    assert.deepEqual(await s.members(), { [s.owner]: 'owner', [s.admin]: 'admin', [s.member]: 'member' });
    assert.deepEqual(s.notices(), []);
  });
});

describe('Groups: removing and leaving', () => {
  it('the owner removes an admin; the remaining members and the removed user are told', async (t) => {
    const s = await setup(t);
    await s.groups.remove(s.owner, s.id, s.admin);
    assert.equal((await s.members())[s.admin], undefined);
    assert.deepEqual(s.notices(), [
      { to: sorted(s.owner, s.admin, s.member), body: { type: 'group_member_removed', group: s.id, user: s.admin, by: s.owner, ts: undefined } },
    ]);
  });

  it('an admin removes plain members only; a member removes nobody', async (t) => {
    const s = await setup(t);
    await s.groups.add(s.owner, s.id, s.extra, 'admin');
    assert.equal(await refusal(s.groups.remove(s.admin, s.id, s.extra)), 'FORBIDDEN');
    assert.equal(await refusal(s.groups.remove(s.admin, s.id, s.owner)), 'FORBIDDEN');
    assert.equal(await refusal(s.groups.remove(s.member, s.id, s.admin)), 'FORBIDDEN');
    await s.groups.remove(s.admin, s.id, s.member);
    assert.deepEqual(await s.members(), { [s.owner]: 'owner', [s.admin]: 'admin', [s.extra]: 'admin' });
  });

  it('removing a non-member is NOT_FOUND', async (t) => {
    const s = await setup(t);
    assert.equal(await refusal(s.groups.remove(s.owner, s.id, s.outsider)), 'NOT_FOUND');
  });

  it('a member leaves (also by removing itself); the others and the leaver are told', async (t) => {
    const s = await setup(t);
    await s.groups.remove(s.member, s.id, s.member);
    await s.groups.leave(s.admin, s.id);
    assert.deepEqual(await s.members(), { [s.owner]: 'owner' });
    assert.deepEqual(s.notices(), [
      { to: sorted(s.owner, s.admin, s.member), body: { type: 'group_member_left', group: s.id, user: s.member, ts: undefined } },
      { to: sorted(s.owner, s.admin), body: { type: 'group_member_left', group: s.id, user: s.admin, ts: undefined } },
    ]);
    assert.deepEqual((await s.groups.mine(s.member)).groups, []);
  });

  it('the owner cannot leave (CONFLICT); an outsider cannot leave (FORBIDDEN)', async (t) => {
    const s = await setup(t);
    assert.equal(await refusal(s.groups.leave(s.owner, s.id)), 'CONFLICT');
    assert.equal(await refusal(s.groups.remove(s.owner, s.id, s.owner)), 'CONFLICT');
    assert.equal(await refusal(s.groups.leave(s.outsider, s.id)), 'FORBIDDEN');
    assert.equal(Object.keys(await s.members()).length, 3);
  });
});

describe('Groups: dissolving and reading', () => {
  it('only the owner dissolves; every former member is told, and the group is gone for all', async (t) => {
    const s = await setup(t);
    assert.equal(await refusal(s.groups.dissolve(s.admin, s.id)), 'FORBIDDEN');
    assert.equal(await refusal(s.groups.dissolve(s.member, s.id)), 'FORBIDDEN');
    await s.groups.dissolve(s.owner, s.id);
    assert.deepEqual(s.notices(), [{ to: sorted(s.owner, s.admin, s.member), body: { type: 'group_dissolved', group: s.id, by: s.owner, ts: undefined } }]);
    assert.equal(await refusal(s.groups.get(s.owner, s.id)), 'NOT_FOUND');
    assert.equal(await refusal(s.groups.add(s.owner, s.id, s.extra, 'member')), 'NOT_FOUND');
    assert.equal(await refusal(s.groups.dissolve(s.owner, s.id)), 'NOT_FOUND');
    assert.deepEqual((await s.groups.mine(s.admin)).groups, []);
  });

  it('members read the group with its members; outsiders may not', async (t) => {
    const s = await setup(t);
    const detail = await s.groups.get(s.member, s.id);
    assert.equal(detail.name, 'team');
    assert.deepEqual(
      detail.members,
      [
        { user: s.owner, role: 'owner' },
        { user: s.admin, role: 'admin' },
        { user: s.member, role: 'member' },
      ].sort((a, b) => a.user - b.user),
    );
    assert.equal(await refusal(s.groups.get(s.outsider, s.id)), 'FORBIDDEN');
    assert.deepEqual((await s.groups.mine(s.member)).groups.map((g) => g.id), [s.id]);
  });
});
