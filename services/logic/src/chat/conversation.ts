import { ChatCode, ChatError } from './codes.ts';

/** A one-to-one conversation has one id whoever sends: `u:<lower id>:<higher id>`. */
export function directConversation(a: number, b: number): string {
  return a < b ? `u:${a}:${b}` : `u:${b}:${a}`;
}

/** The members of a one-to-one conversation id; rejects anything else. */
export function directMembers(conv: string): [number, number] {
  const match = /^u:(\d{1,15}):(\d{1,15})$/.exec(conv);
  if (!match) throw new ChatError(ChatCode.INVALID, `unknown conversation ${conv}`);
  return [Number(match[1]), Number(match[2])];
}

/** Rejects with FORBIDDEN unless `user` takes part in `conv`. */
export function assertMember(conv: string, user: number): [number, number] {
  const members = directMembers(conv);
  if (!members.includes(user)) throw new ChatError(ChatCode.FORBIDDEN, 'not a member of this conversation');
  return members;
}
