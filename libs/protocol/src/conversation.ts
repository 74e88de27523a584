/**
 * Conversation ids, one canonical form each: `u:<a>:<b>` the direct conversation of users a and b
 * with a < b, `g:<id>` a group's. Ids are positive decimal integers without leading zeros or signs,
 * at most 15 digits. Any other spelling (`u:3:1`, `u:01:3`, `u:0:3`, `u:1:1`) names no
 * conversation: it is refused, never mapped to the canonical one, so no state is ever kept under a
 * second name.
 */
const DIRECT = /^u:([1-9]\d{0,14}):([1-9]\d{0,14})$/;
const GROUP = /^g:([1-9]\d{0,14})$/;

/** The rule in words, for refusals. */
export const CONVERSATION_ID_RULE = 'conv: u:<a>:<b> (user ids, a < b) or g:<group id>; ids are positive integers without leading zeros';

export type ConversationRef = { kind: 'direct'; users: [number, number] } | { kind: 'group'; group: number };

/** The one-to-one conversation of two different users, whichever of them names it. */
export function directConversation(a: number, b: number): string {
  return a < b ? `u:${a}:${b}` : `u:${b}:${a}`;
}

/** A group's conversation. */
export function groupConversation(groupId: number): string {
  return `g:${groupId}`;
}

/** What a canonical conversation id names; undefined for anything else. */
export function parseConversation(conv: string): ConversationRef | undefined {
  const direct = DIRECT.exec(conv);
  if (direct) {
    const a = Number(direct[1]);
    const b = Number(direct[2]);
    return a < b ? { kind: 'direct', users: [a, b] } : undefined;
  }
  const group = GROUP.exec(conv);
  return group ? { kind: 'group', group: Number(group[1]) } : undefined;
}
