import { ImError } from '@imcluster/common';
import { StorageError, type Storage } from '@imcluster/storage';
import { hashPassword, verifyPassword } from './auth/passwords.ts';
import type { Tokens } from './auth/tokens.ts';

/** Registration and login; both answer with a token for the socket's auth packet. */
export class Users {
  readonly #storage: Storage;
  readonly #tokens: Tokens;

  constructor(storage: Storage, tokens: Tokens) {
    this.#storage = storage;
    this.#tokens = tokens;
  }

  async register(name: string, password: string): Promise<{ id: number; name: string; token: string }> {
    const hash = await hashPassword(password);
    try {
      const user = await this.#storage.createUser(name, hash);
      return { id: user.id, name: user.name, token: await this.#tokens.mint(user.id) };
    } catch (error) {
      if (error instanceof StorageError && error.code === 'DUPLICATE') throw new ImError('DUPLICATE', 'name already taken', { cause: error });
      throw error;
    }
  }

  async login(name: string, password: string): Promise<{ id: number; name: string; token: string }> {
    const user = await this.#storage.userByName(name);
    // Hash even for unknown names so response time does not reveal which names exist.
    const ok = user ? await verifyPassword(password, user.passwordHash) : (await hashPassword(password), false);
    if (!user || !ok) throw new ImError('UNAUTHORIZED', 'wrong name or password');
    return { id: user.id, name: user.name, token: await this.#tokens.mint(user.id) };
  }
}
