import { ImError } from '@imcluster/common';
import type { Storage } from '@imcluster/storage';

/** A one-to-one conversation has one id whoever sends: `u:<lower id>:<higher id>`. */
export function directConversation(a: number, b: number): string {
  return a < b ? `u:${a}:${b}` : `u:${b}:${a}`;
}

/** A group's conversation: `g:<group id>`. */
export function groupConversation(groupId: number): string {
  return `g:${groupId}`;
}

/**
 * The members of a conversation when `user` is one of them: the two users of a direct
 * conversation, or the current members of a live group. Rejects with FORBIDDEN otherwise.
 */
export async function membersIfMember(storage: Storage, conv: string, user: number): Promise<number[]> {
  const direct = /^u:(\d{1,15}):(\d{1,15})$/.exec(conv);
  if (direct) {
    const members = [Number(direct[1]), Number(direct[2])];
    if (!members.includes(user)) throw new ImError('FORBIDDEN', 'not a member of this conversation');
    return members;
  }
  const group = /^g:(\d{1,15})$/.exec(conv);
  if (!group) throw new ImError('INVALID', `unknown conversation ${conv}`);
  const members = (await storage.groupMembers(Number(group[1]))).map((m) => m.user);
  if (!members.includes(user)) throw new ImError('FORBIDDEN', 'not a member of this group');
  return members;
}
