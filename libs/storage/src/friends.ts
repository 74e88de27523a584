/** The pair's row as requestFriend() read it back. */
export interface FriendRow {
  requester: number;
  accepted: boolean;
}

export type FriendAttempt = 'requested' | 'accepted' | 'already' | 'retry';

/**
 * Both adapters run requestFriend(from, to) as three steps on the pair's one row: (1) accept a
 * pending reverse request; else (2) insert our request unless the row exists; else (3) read the
 * row. This decides step 3. 'retry': the row changed between the steps (a reverse request
 * arrived after step 1, or the row went away after step 2), so run them again.
 */
export function outcomeOfRow(from: number, row: FriendRow | undefined): FriendAttempt {
  if (row === undefined) return 'retry';
  if (row.accepted) return 'already';
  return row.requester === from ? 'requested' : 'retry';
}

/** Attempts before requestFriend() gives up with UNAVAILABLE; each retry needs a concurrent change. */
export const FRIEND_ATTEMPTS = 5;
