import type { Storage } from '@imcluster/storage';
import { SocialError } from './errors.ts';

/** What other users may see of an account. */
export interface PublicUser {
  id: number;
  name: string;
}

/** The user, or NOT_FOUND: relations and memberships are only made with accounts that exist. */
export async function requireUser(storage: Storage, id: number): Promise<PublicUser> {
  const user = await storage.userById(id);
  if (user === undefined) throw new SocialError('NOT_FOUND', `no user ${id}`);
  return { id: user.id, name: user.name };
}

/** Relations need two different users. */
export function requireOther(me: number, other: number, what: string): void {
  if (other === me) throw new SocialError('INVALID', `cannot ${what} yourself`);
}
