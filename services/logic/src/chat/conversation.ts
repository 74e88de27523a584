import { ImError } from '@imcluster/common';
import { CONVERSATION_ID_RULE, parseConversation } from '@imcluster/protocol';
import type { Storage } from '@imcluster/storage';

/**
 * The members of a conversation when `user` is one of them: the two users of a direct
 * conversation, or the current members of a live group. Rejects with INVALID for an id that is not
 * in its canonical form (docs/protocol.md, "Conversations"), FORBIDDEN when `user` is no member.
 */
export async function membersIfMember(storage: Storage, conv: string, user: number): Promise<number[]> {
  const ref = parseConversation(conv);
  if (!ref) throw new ImError('INVALID', CONVERSATION_ID_RULE);
  if (ref.kind === 'direct') {
    if (!ref.users.includes(user)) throw new ImError('FORBIDDEN', 'not a member of this conversation');
    return ref.users;
  }
  const members = (await storage.groupMembers(ref.group)).map((m) => m.user);
  if (!members.includes(user)) throw new ImError('FORBIDDEN', 'not a member of this group');
  return members;
}
