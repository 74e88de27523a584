import { groupLimits, type Group, type GroupRole, type Storage } from '@imcluster/storage';
import { SocialError } from './errors.ts';
import type { Notice, Notices } from './notices.ts';
import { requireUser } from './people.ts';

export type AssignableRole = Exclude<GroupRole, 'owner'>;

/** A group as the API shows it; `created_at` in ms since the epoch, like chat `ts`. */
export interface GroupView {
  id: number;
  name: string;
  owner: number;
  created_at: number;
}

export interface GroupDetail extends GroupView {
  members: { user: number; role: GroupRole }[];
}

// Control characters, lone surrogates and invisible format characters (bidi overrides and
// isolates, zero-width space, BOM, ...) have no place in a name shown to other users: they hide or
// reorder what others read. Zero-width (non-)joiners stay: emoji sequences and some scripts need them.
const UNPRINTABLE = /[\p{Cc}\uD800-\uDFFF]|(?![\u200C\u200D])\p{Cf}/u;

function groupView(group: Group): GroupView {
  return { id: group.id, name: group.name, owner: group.owner, created_at: group.createdAt.getTime() };
}

/**
 * Groups and their members, acting as `me`. Permissions: the owner does everything but leave
 * (it dissolves instead); admins add and remove plain members; members read and leave. Every
 * change is announced to the members it concerns (op 30), after it is stored.
 */
export class Groups {
  readonly #storage: Storage;
  readonly #notices: Notices;
  readonly #maxMembers: number;

  constructor(storage: Storage, notices: Notices, maxMembers: number) {
    this.#storage = storage;
    this.#notices = notices;
    this.#maxMembers = maxMembers;
  }

  async create(me: number, name: string): Promise<GroupView> {
    const group = await this.#storage.createGroup(me, checkName(name));
    await this.#notices.send([me], { type: 'group_created', group: group.id, by: me });
    return groupView(group);
  }

  async mine(me: number): Promise<{ groups: GroupView[] }> {
    return { groups: (await this.#storage.groupsOf(me)).map(groupView) };
  }

  async get(me: number, groupId: number): Promise<GroupDetail> {
    const { group } = await this.#membership(me, groupId);
    return { ...groupView(group), members: await this.#storage.groupMembers(groupId) };
  }

  async add(me: number, groupId: number, user: number, role: AssignableRole): Promise<{ group: number; user: number; role: AssignableRole }> {
    const mine = (await this.#membership(me, groupId)).role;
    if (mine === 'member') throw new SocialError('FORBIDDEN', 'only the owner and admins add members');
    if (mine === 'admin' && role !== 'member') throw new SocialError('FORBIDDEN', 'admins add plain members only');
    await requireUser(this.#storage, user);
    if (await this.#storage.isBlocked(user, me)) throw new SocialError('FORBIDDEN', `user ${user} does not accept invitations from you`);
    if ((await this.#storage.groupMembers(groupId)).length >= this.#maxMembers) throw new SocialError('CONFLICT', `group ${groupId} has ${this.#maxMembers} members, the most allowed`);
    // False also when the group was dissolved since #membership(): a conflict either way.
    if (!(await this.#storage.addGroupMember(groupId, user, role))) throw new SocialError('CONFLICT', `user ${user} is a member of group ${groupId} already`);
    await this.#announce(groupId, [], { type: 'group_member_added', group: groupId, user, role, by: me });
    return { group: groupId, user, role };
  }

  async setRole(me: number, groupId: number, user: number, role: AssignableRole): Promise<{ group: number; user: number; role: AssignableRole }> {
    if ((await this.#membership(me, groupId)).role !== 'owner') throw new SocialError('FORBIDDEN', 'only the owner changes roles');
    if (user === me) throw new SocialError('CONFLICT', 'the owner keeps the owner role');
    const current = await this.#storage.groupRole(groupId, user);
    if (current === role) return { group: groupId, user, role };
    if (current === undefined || !(await this.#storage.setGroupRole(groupId, user, role))) throw notMember(user, groupId);
    await this.#announce(groupId, [], { type: 'group_role_changed', group: groupId, user, role, by: me });
    return { group: groupId, user, role };
  }

  /** Removing oneself is leaving. */
  async remove(me: number, groupId: number, user: number): Promise<void> {
    if (user === me) return this.leave(me, groupId);
    const mine = (await this.#membership(me, groupId)).role;
    if (mine === 'member') throw new SocialError('FORBIDDEN', 'only the owner and admins remove members');
    const theirs = await this.#storage.groupRole(groupId, user);
    if (theirs === undefined) throw notMember(user, groupId);
    if (mine === 'admin' && theirs !== 'member') throw new SocialError('FORBIDDEN', 'admins remove plain members only');
    if (!(await this.#storage.removeGroupMember(groupId, user))) throw notMember(user, groupId);
    await this.#announce(groupId, [user], { type: 'group_member_removed', group: groupId, user, by: me });
  }

  async leave(me: number, groupId: number): Promise<void> {
    if ((await this.#membership(me, groupId)).role === 'owner') throw new SocialError('CONFLICT', 'the owner cannot leave; dissolve the group instead');
    if (!(await this.#storage.removeGroupMember(groupId, me))) throw notMember(me, groupId);
    await this.#announce(groupId, [me], { type: 'group_member_left', group: groupId, user: me });
  }

  async dissolve(me: number, groupId: number): Promise<void> {
    if ((await this.#membership(me, groupId)).role !== 'owner') throw new SocialError('FORBIDDEN', 'only the owner dissolves the group');
    const members = (await this.#storage.groupMembers(groupId)).map(({ user }) => user);
    if (!(await this.#storage.dissolveGroup(groupId))) throw new SocialError('NOT_FOUND', `no group ${groupId}`);
    await this.#notices.send(members, { type: 'group_dissolved', group: groupId, by: me });
  }

  /** The live group and `me`'s role in it: NOT_FOUND for no such (or a dissolved) group, FORBIDDEN for outsiders. */
  async #membership(me: number, groupId: number): Promise<{ group: Group; role: GroupRole }> {
    const [group, role] = await Promise.all([this.#storage.groupById(groupId), this.#storage.groupRole(groupId, me)]);
    if (group === undefined || group.dissolvedAt !== null) throw new SocialError('NOT_FOUND', `no group ${groupId}`);
    if (role === undefined) throw new SocialError('FORBIDDEN', `you are not a member of group ${groupId}`);
    return { group, role };
  }

  /** To the members after the change, and to `alsoTo` (who just left). */
  async #announce(groupId: number, alsoTo: number[], notice: Notice): Promise<void> {
    const members = (await this.#storage.groupMembers(groupId)).map(({ user }) => user);
    await this.#notices.send([...members, ...alsoTo], notice);
  }
}

function notMember(user: number, groupId: number): SocialError {
  return new SocialError('NOT_FOUND', `user ${user} is not a member of group ${groupId}`);
}

/** Trimmed, 1..64 characters, printable. */
function checkName(name: string): string {
  const trimmed = name.trim();
  const chars = [...trimmed].length;
  if (chars < 1 || chars > groupLimits.nameChars) throw new SocialError('INVALID', `name: 1-${groupLimits.nameChars} characters`);
  if (UNPRINTABLE.test(trimmed)) throw new SocialError('INVALID', 'name: no control, bidi or invisible characters');
  return trimmed;
}
