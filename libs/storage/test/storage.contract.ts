import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadMigrations, type Dialect } from '../src/migrations.ts';
import { StorageError, type Storage } from '../src/storage.ts';
import { chatContract, randomConv, textMessage } from './chat.contract.ts';
import { socialContract } from './social.contract.ts';

/** One fresh, empty database of the adapter under test. */
export interface TestDatabase {
  /** A new client on this database, closed by the test's cleanup ("another process"). */
  open(): Storage;
  /** The versions recorded in schema_migrations, ascending. */
  appliedVersions(): Promise<number[]>;
  /** Runs one SQL statement on a connection of its own, as an operator would. */
  execute(sql: string): Promise<void>;
}

const isCode = (code: StorageError['code']) => (error: unknown) => error instanceof StorageError && error.code === code;

/** A name no other test uses. */
export function randomUserName(prefix = 'user'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * The Storage contract, run against every adapter. `makeDatabase` creates an empty database and
 * registers its removal on `t`.
 */
export function storageContract(name: string, dialect: Dialect, makeDatabase: (t: TestContext) => Promise<TestDatabase>): void {
  async function migrated(t: TestContext): Promise<{ db: TestDatabase; storage: Storage }> {
    const db = await makeDatabase(t);
    const storage = db.open();
    await storage.migrate();
    return { db, storage };
  }

  describe(`Storage contract: ${name}`, { timeout: 60_000 }, () => {
    it('migrate() applies every migration once; a second call is a no-op', async (t) => {
      const db = await makeDatabase(t);
      const expected = (await loadMigrations(dialect)).map(({ version }) => version);
      assert.ok(expected.length > 0);
      const storage = db.open();
      await storage.migrate();
      assert.deepEqual(await db.appliedVersions(), expected);
      const user = await storage.createUser(randomUserName(), 'hash');
      await storage.migrate();
      assert.deepEqual(await db.appliedVersions(), expected);
      assert.deepEqual(await storage.userById(user.id), user, 'data untouched by the second migrate');
    });

    it('migrate() from three clients at once applies everything exactly once', async (t) => {
      const db = await makeDatabase(t);
      const expected = (await loadMigrations(dialect)).map(({ version }) => version);
      const clients = [db.open(), db.open(), db.open()];
      await Promise.all(clients.map((client) => client.migrate()));
      assert.deepEqual(await db.appliedVersions(), expected);
      const user = await clients[0]!.createUser(randomUserName(), 'hash');
      assert.deepEqual(await clients[2]!.userByName(user.name), user);
    });

    it('createUser() returns the stored user; userById() and userByName() find it', async (t) => {
      const { storage } = await migrated(t);
      const before = Date.now();
      const alice = await storage.createUser(randomUserName('alice'), '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA');
      const bob = await storage.createUser(randomUserName('bob'), 'other-hash');
      assert.ok(Number.isInteger(alice.id) && alice.id > 0, 'positive integer id');
      assert.ok(bob.id > alice.id, 'ids grow');
      assert.ok(alice.createdAt instanceof Date && Math.abs(alice.createdAt.getTime() - before) < 60_000);
      assert.deepEqual(await storage.userById(alice.id), alice);
      assert.deepEqual(await storage.userByName(alice.name), alice);
      assert.deepEqual(await storage.userByName(bob.name), bob);
      assert.equal(await storage.userById(bob.id + 1_000), undefined);
      assert.equal(await storage.userByName(randomUserName('nobody')), undefined);
    });

    it('revokeTokens() raises the token version (with a new password hash when given); undefined for an unknown user', async (t) => {
      const { storage } = await migrated(t);
      const user = await storage.createUser(randomUserName(), 'first-hash');
      assert.equal(user.tokenVersion, 0);
      assert.equal(await storage.revokeTokens(user.id), 1);
      assert.deepEqual(await storage.userById(user.id), { ...user, tokenVersion: 1 });
      assert.equal(await storage.revokeTokens(user.id, 'second-hash'), 2);
      assert.deepEqual(await storage.userByName(user.name), { ...user, passwordHash: 'second-hash', tokenVersion: 2 });
      const concurrent = await Promise.all([storage.revokeTokens(user.id), storage.revokeTokens(user.id), storage.revokeTokens(user.id)]);
      assert.equal((await storage.userById(user.id))?.tokenVersion, 5, `each concurrent call counts (${concurrent.join(',')})`);
      assert.equal(await storage.revokeTokens(user.id + 1_000), undefined);
      await assert.rejects(storage.revokeTokens(0), isCode('INVALID'));
    });

    it('userOfSubject() creates a passwordless user on first sight and returns it after; two clients at once get the same user', async (t) => {
      const { db, storage } = await migrated(t);
      const subject = `jwks:https://idp.example/:${randomBytes(6).toString('hex')}`;
      const first = await storage.userOfSubject(subject);
      assert.equal(first.passwordHash, '');
      assert.match(first.name, /^ext:[0-9a-f]{32}$/);
      assert.deepEqual(await storage.userOfSubject(subject), first);
      assert.notEqual((await storage.userOfSubject(`${subject}x`)).id, first.id, 'subjects compare byte for byte');
      const racing = `proxy:${randomBytes(6).toString('hex')}`;
      const [a, b] = await Promise.all([db.open().userOfSubject(racing), db.open().userOfSubject(racing)]);
      assert.equal(a.id, b.id);
      await assert.rejects(storage.userOfSubject(''), isCode('INVALID'));
    });

    it('keeps names as given: case, Unicode and 64 characters', async (t) => {
      const { storage } = await migrated(t);
      const suffix = randomBytes(3).toString('hex');
      const names = [`Zoë-😀-${suffix}`, `zoë-😀-${suffix}`, `${suffix}${'x'.repeat(64 - suffix.length)}`];
      for (const name of names) {
        const user = await storage.createUser(name, 'hash');
        assert.deepEqual(await storage.userByName(name), user, name);
      }
    });

    it('createUser() with a taken name rejects with DUPLICATE and keeps the first user', async (t) => {
      const { storage } = await migrated(t);
      const first = await storage.createUser(randomUserName(), 'first');
      await assert.rejects(storage.createUser(first.name, 'second'), isCode('DUPLICATE'));
      assert.deepEqual(await storage.userByName(first.name), first);
    });

    it('two clients creating the same name at once: one wins, the other gets DUPLICATE', async (t) => {
      const { db } = await migrated(t);
      const name = randomUserName();
      const results = await Promise.allSettled([db.open().createUser(name, 'a'), db.open().createUser(name, 'b')]);
      assert.equal(results.filter(({ status }) => status === 'fulfilled').length, 1);
      const rejected = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      assert.ok(isCode('DUPLICATE')(rejected?.reason), String(rejected?.reason));
    });

    it('data survives closing the client and opening a new one', async (t) => {
      const { db, storage } = await migrated(t);
      const user = await storage.createUser(randomUserName(), 'hash');
      const conv = randomConv();
      const input = textMessage(conv, user.id);
      const { message } = await storage.appendMessage(input);
      const recalled = await storage.recallMessage(conv, message.seq, user.id, message.createdAt);
      await storage.advanceCursor(user.id, conv, 'read', 1);
      const group = await storage.createGroup(user.id, 'kept');
      await storage.requestFriend(user.id, user.id + 1);
      await storage.close();
      const reopened = db.open();
      await reopened.migrate();
      assert.deepEqual(await reopened.userById(user.id), user);
      const next = await reopened.createUser(randomUserName(), 'hash');
      assert.ok(next.id > user.id, 'ids are not reused after a restart');
      assert.deepEqual(await reopened.messagesAfter(conv, 0, 10), [recalled]);
      assert.deepEqual(await reopened.conversationsOf(user.id, [conv]), [{ conv, lastSeq: 1, delivered: 0, read: 1 }]);
      assert.deepEqual(await reopened.appendMessage(input), { message: recalled, duplicate: true }, 'still idempotent');
      assert.equal((await reopened.appendMessage(textMessage(conv, next.id))).message.seq, 2, 'the sequence goes on');
      assert.deepEqual(await reopened.groupsOf(user.id), [group]);
      assert.deepEqual(await reopened.friendRequestsTo(user.id + 1), [user.id]);
    });

    it('migration 4 lists the direct conversations stored before it, for both users', async (t) => {
      const { db, storage } = await migrated(t);
      for (const conv of ['u:5:9', 'u:5:12', 'g:5', 'u:5:x', 'u:1:5:9', 'u:5:']) await storage.appendMessage(textMessage(conv, 5));
      // As if the messages were stored by a version before migration 4.
      await db.execute('DROP TABLE direct_conversations');
      await db.execute('DELETE FROM schema_migrations WHERE version = 4');
      const upgraded = db.open();
      await upgraded.migrate();
      assert.deepEqual((await upgraded.directConversationsOf(5, 10)).sort(), ['u:5:12', 'u:5:9']);
      assert.deepEqual(await upgraded.directConversationsOf(9, 10), ['u:5:9']);
      assert.deepEqual(await upgraded.directConversationsOf(12, 10), ['u:5:12']);
      assert.deepEqual(await upgraded.directConversationsOf(1, 10), [], 'only well-formed u:<id>:<id>');
    });

    chatContract(makeDatabase);
    socialContract(makeDatabase);
  });
}
