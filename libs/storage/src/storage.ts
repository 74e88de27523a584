export interface User {
  id: number;
  name: string;
  passwordHash: string;
  createdAt: Date;
}

/**
 * Durable storage of users (and, later, groups and messages).
 *
 * Contract: every write is durable when its promise resolves; names are unique (createUser rejects
 * with a StorageError of code 'DUPLICATE' when taken); ids are positive and never reused.
 * migrate() applies the versioned schema migrations that are not applied yet and is safe to call
 * from several processes at once.
 */
export interface Storage {
  migrate(): Promise<void>;
  createUser(name: string, passwordHash: string): Promise<User>;
  userById(id: number): Promise<User | undefined>;
  userByName(name: string): Promise<User | undefined>;
  close(): Promise<void>;
}

export class StorageError extends Error {
  constructor(readonly code: 'DUPLICATE' | 'NOT_FOUND' | 'UNAVAILABLE', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}
