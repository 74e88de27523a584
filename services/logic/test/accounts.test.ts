import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { ImError } from '@imcluster/common';
import { MemoryLimitStore } from '@imcluster/limits';
import { MemoryRegistry } from '@imcluster/registry';
import { MemoryRouting } from '@imcluster/routing';
import { Metrics } from '@imcluster/metrics';
import { Authenticator } from '../src/auth/authenticator.ts';
import { checkPassword } from '../src/auth/password_policy.ts';
import { PasswordHasher } from '../src/auth/passwords.ts';
import { Tokens } from '../src/auth/tokens.ts';
import { CometDirectory } from '../src/comet_directory.ts';
import { loadLogicConfig } from '../src/config.ts';
import { createUsers, type Users } from '../src/users.ts';
import { logger, openStorage, ORIGIN } from './helpers.ts';

const SECRET = 'accounts-test-secret-0123456789abcdef';
const GOOD = 'correct-horse-battery';

async function accounts(t: TestContext, env: Record<string, string> = {}): Promise<{ users: Users; auth: Authenticator; tokens: Tokens }> {
  const config = loadLogicConfig({ IM_JWT_SECRET: SECRET, ...env });
  const storage = await openStorage(t);
  const tokens = new Tokens(SECRET, 3600);
  const routing = new MemoryRouting();
  const comets = new CometDirectory(new MemoryRegistry({ logger }), { secret: 'logic-test-cluster-secret' }, new Metrics().grpc.client);
  t.after(() => routing.close());
  const users = createUsers(config.accounts, { storage, tokens, limits: new MemoryLimitStore(), routing, comets, logger });
  return { users, tokens, auth: new Authenticator({ tokens, storage, apiKey: 'api-key-0123', anonymousRooms: [] }) };
}

const code = (error: unknown) => (error instanceof ImError ? error.code : String(error));

/** The error `call` rejects with; fails when it resolves. */
async function refusal(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
}

describe('password hashing has its own bounded concurrency (issue 10, finding 3)', () => {
  it('runs `concurrency` at once, queues `queue` more, and refuses the rest at once with UNAVAILABLE', async () => {
    const hasher = new PasswordHasher({ concurrency: 1, queue: 2 });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => hasher.hash('some-password')));
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected']);
    for (const r of results) if (r.status === 'rejected') assert.equal(code(r.reason), 'UNAVAILABLE');
    const hash = (results[0] as PromiseFulfilledResult<string>).value;
    assert.equal(await hasher.verify('some-password', hash), true, 'turns are handed on: later computations still run');
    assert.equal(await hasher.verify('other-password', hash), false);
  });

  it('token checks do not wait behind a queue of password hashes (they share libuv\'s pool)', async () => {
    const hasher = new PasswordHasher({ concurrency: 2, queue: 64 });
    const tokens = new Tokens(SECRET, 60);
    const token = await tokens.mint(7, 0);
    let hashed = 0;
    const hashing = Array.from({ length: 24 }, () => hasher.hash('some-password').then(() => hashed++));
    const verified = await tokens.verify(token);
    const hashedWhenVerified = hashed;
    await Promise.all(hashing);
    assert.equal(verified.user, 7);
    assert.ok(hashedWhenVerified < 12, `the token was verified after ${hashedWhenVerified} of 24 hashes: it waited behind them`);
  });
});

describe('password policy', () => {
  it('refuses short passwords, the user name and common passwords with INVALID naming the password', () => {
    for (const [password, why] of [['short1', /at least 8/], ['Alice-Smith', /user name/], ['PassWord123', /too common/], ['12345678', /too common/]] as const) {
      const error = (() => {
        try {
          checkPassword(password, 'alice-smith', 8);
        } catch (e) {
          return e;
        }
      })();
      assert.equal(code(error), 'INVALID', password);
      assert.match((error as Error).message, /^password: /);
      assert.match((error as Error).message, why);
    }
    checkPassword(GOOD, 'alice', 8);
  });

  it('applies at registration', async (t) => {
    const { users } = await accounts(t);
    assert.equal(code(await refusal(users.register('carol', 'carol', { address: '10.0.0.1' }))), 'INVALID');
    assert.equal(code(await refusal(users.register('carol', 'password', { address: '10.0.0.1' }))), 'INVALID');
  });
});

describe('registration modes (IM_REGISTRATION)', () => {
  it('closed: every registration is FORBIDDEN', async (t) => {
    const { users } = await accounts(t, { IM_REGISTRATION: 'closed' });
    assert.equal(code(await refusal(users.register('dave', GOOD, { address: '10.0.0.1' }))), 'FORBIDDEN');
  });

  it('invite: only with a valid invite; a user token is no invite', async (t) => {
    const { users, tokens } = await accounts(t, { IM_REGISTRATION: 'invite' });
    assert.equal(code(await refusal(users.register('erin', GOOD, { address: '10.0.0.1' }))), 'FORBIDDEN');
    assert.equal(code(await refusal(users.register('erin', GOOD, { address: '10.0.0.1', invite: await tokens.mint(1, 0) }))), 'FORBIDDEN');
    assert.equal(code(await refusal(users.register('erin', GOOD, { address: '10.0.0.1', invite: 'garbage' }))), 'FORBIDDEN');
    const { invite, expiresAt } = await users.invite(600);
    assert.ok(expiresAt > Date.now() + 590_000);
    assert.equal((await users.register('erin', GOOD, { address: '10.0.0.1', invite })).name, 'erin');
  });
});

describe('login limits', () => {
  it('locks an account after IM_AUTH_ACCOUNT_ATTEMPTS failures in a row, for every address, even with the right password', async (t) => {
    const { users } = await accounts(t, { IM_AUTH_ACCOUNT_ATTEMPTS: '3', IM_AUTH_LOCKOUT_SEC: '600' });
    await users.register('frank', GOOD, { address: '10.0.0.1' });
    for (let i = 0; i < 3; i++) assert.equal(code(await refusal(users.login('frank', 'wrong-password', `10.0.1.${i}`))), 'UNAUTHORIZED');
    const locked = await refusal(users.login('frank', GOOD, '10.0.2.1'));
    assert.equal(code(locked), 'RATE_LIMITED');
    assert.ok((locked as ImError).retryAfterMs! > 590_000, 'the answer says when to retry');
  });

  it('a success forgets earlier failures', async (t) => {
    const { users } = await accounts(t, { IM_AUTH_ACCOUNT_ATTEMPTS: '3' });
    await users.register('gina', GOOD, { address: '10.0.0.1' });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) await refusal(users.login('gina', 'wrong-password', '10.0.0.1'));
      assert.equal((await users.login('gina', GOOD, '10.0.0.1')).name, 'gina');
    }
  });

  it('limits login and registration attempts per client address (IM_AUTH_ADDRESS_PER_MIN)', async (t) => {
    const { users } = await accounts(t, { IM_AUTH_ADDRESS_PER_MIN: '3' });
    await users.register('hank', GOOD, { address: '10.0.0.9' });
    await refusal(users.login('nobody', 'wrong-password', '10.0.0.9'));
    await users.login('hank', GOOD, '10.0.0.9');
    assert.equal(code(await refusal(users.login('hank', GOOD, '10.0.0.9'))), 'RATE_LIMITED');
    assert.equal(code(await refusal(users.register('ivan', GOOD, { address: '10.0.0.9' }))), 'RATE_LIMITED');
    assert.equal((await users.login('hank', GOOD, '10.0.0.10')).name, 'hank', 'another address counts apart');
  });
});

describe('token revocation (issue 10, finding 5)', () => {
  it('logout refuses every earlier token on HTTP and socket auth; login then gives a working one', async (t) => {
    const { users, auth } = await accounts(t);
    const { id, token } = await users.register('jane', GOOD, { address: '10.0.0.1' });
    const second = (await users.login('jane', GOOD, '10.0.0.1')).token;
    assert.equal(await auth.user(`Bearer ${second}`), id);
    await users.logout(id);
    for (const old of [token, second]) {
      assert.match((await refusal(auth.user(`Bearer ${old}`)) as Error).message, /revoked/);
      assert.match((await refusal(auth.socket(Buffer.from(JSON.stringify({ token: old })), ORIGIN)) as Error).message, /revoked/);
    }
    const fresh = (await users.login('jane', GOOD, '10.0.0.1')).token;
    assert.equal(await auth.user(`Bearer ${fresh}`), id);
  });

  it('a password change needs the current password, revokes earlier tokens and answers a working token', async (t) => {
    const { users, auth } = await accounts(t);
    const { id, token } = await users.register('kate', GOOD, { address: '10.0.0.1' });
    assert.equal(code(await refusal(users.changePassword(id, 'wrong-password', 'another-good-one'))), 'FORBIDDEN');
    assert.equal(code(await refusal(users.changePassword(id, GOOD, 'kate'))), 'INVALID');
    assert.equal(await auth.user(`Bearer ${token}`), id, 'refused changes revoke nothing');
    const changed = await users.changePassword(id, GOOD, 'another-good-one');
    assert.equal(code(await refusal(auth.user(`Bearer ${token}`))), 'UNAUTHORIZED');
    assert.equal(await auth.user(`Bearer ${changed.token}`), id);
    assert.equal(code(await refusal(users.login('kate', GOOD, '10.0.0.1'))), 'UNAUTHORIZED');
    assert.equal((await users.login('kate', 'another-good-one', '10.0.0.1')).id, id);
  });

  it('socket auth answers when the token expires', async (t) => {
    const { users, auth } = await accounts(t);
    const { id, token } = await users.register('liam', GOOD, { address: '10.0.0.1' });
    const caller = await auth.socket(Buffer.from(JSON.stringify({ token })), ORIGIN);
    assert.equal(caller.mid, id);
    assert.ok(Math.abs(caller.tokenExpiresAt - (Date.now() + 3600_000)) < 5_000, String(caller.tokenExpiresAt));
  });
});
