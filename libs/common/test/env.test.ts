import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bool, ConfigError, parseEnv, z } from '../src/env.ts';
import { secret, SECRET_MIN_LENGTH } from '../src/secrets.ts';

const a = z.object({ IM_A_PORT: z.coerce.number().int().min(0).max(65535).default(1), IM_A_MODE: z.enum(['x', 'y']).default('x') });
const b = z.object({ IM_B_COUNT: z.coerce.number().int().min(1).default(3), IM_B_ON: bool.default(false), IM_B_NAME: z.string().min(1).default('b') });

it('parses the schemas of every part of a process together, defaults filled', () => {
  assert.deepEqual(parseEnv({ IM_B_ON: 'yes' }, a, b), { IM_A_PORT: 1, IM_A_MODE: 'x', IM_B_COUNT: 3, IM_B_ON: true, IM_B_NAME: 'b' });
});

it('lists every bad variable of every schema at once, with its value and what it accepts', () => {
  const error = (() => {
    try {
      parseEnv({ IM_A_PORT: '70000', IM_A_MODE: 'z', IM_B_COUNT: 'many', IM_B_ON: 'maybe', IM_B_NAME: '' }, a, b);
    } catch (e) {
      return e;
    }
  })();
  assert.ok(error instanceof ConfigError);
  assert.deepEqual(error.problems, [
    { variable: 'IM_A_PORT', value: '70000', allowed: 'an integer from 0 to 65535' },
    { variable: 'IM_A_MODE', value: 'z', allowed: 'one of x, y' },
    { variable: 'IM_B_COUNT', value: 'many', allowed: 'an integer >= 1' },
    { variable: 'IM_B_ON', value: 'maybe', allowed: 'true or false (also 1/0, yes/no, on/off)' },
    { variable: 'IM_B_NAME', value: '', allowed: 'not empty' },
  ]);
  assert.match(error.message, /^invalid configuration:\n {2}IM_A_PORT=70000: an integer from 0 to 65535\n/);
});

it('refuses a variable declared by two schemas: each setting has one owner', () => {
  const again = z.object({ IM_A_MODE: z.string() });
  assert.throws(() => parseEnv({}, a, again), /IM_A_MODE is declared by two settings schemas/);
});

describe('secret settings', () => {
  const keys = z.object({ IM_T_KEY: secret('dev-value-of-the-test-key-0123456789'), IM_T_TOKEN: secret(() => 'made-at-start') });
  const strong = 'a'.repeat(SECRET_MIN_LENGTH);
  const problems = (env: Record<string, string>) => {
    try {
      parseEnv(env, keys);
      return [];
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      return e.problems;
    }
  };

  it('standalone: unset secrets take their development value', () => {
    assert.deepEqual(parseEnv({ IM_MODE: 'standalone' }, keys), { IM_T_KEY: 'dev-value-of-the-test-key-0123456789', IM_T_TOKEN: 'made-at-start' });
  });

  it('cluster mode (the default) refuses missing, development and short secrets, never showing a value', () => {
    assert.deepEqual(
      problems({}).map((p) => [p.variable, p.value]),
      [
        ['IM_T_KEY', undefined],
        ['IM_T_TOKEN', undefined],
      ],
    );
    const [dev, short] = problems({ IM_T_KEY: 'dev-value-of-the-test-key-0123456789', IM_T_TOKEN: 'short-token' });
    assert.equal(dev?.variable, 'IM_T_KEY');
    assert.match(dev!.allowed, /development value/);
    assert.equal(dev?.value, '<hidden, 36 characters>');
    assert.equal(short?.variable, 'IM_T_TOKEN');
    assert.match(short!.allowed, new RegExp(`at least ${SECRET_MIN_LENGTH} characters`));
    assert.doesNotMatch(new ConfigError([dev!, short!]).message, /short-token|dev-value/);
    assert.deepEqual(parseEnv({ IM_T_KEY: strong, IM_T_TOKEN: strong }, keys), { IM_T_KEY: strong, IM_T_TOKEN: strong });
  });

  it('standalone refuses a short secret of its own too', () => {
    assert.deepEqual(
      problems({ IM_MODE: 'standalone', IM_T_KEY: 'short' }).map((p) => p.variable),
      ['IM_T_KEY'],
    );
  });
});
