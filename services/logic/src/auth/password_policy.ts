import { ImError } from '@imcluster/common';

/**
 * Passwords that guessing tries first (the most common ones of public breach lists, plus this
 * product's own name); refused whatever their case.
 */
const DENIED = new Set([
  '123456', '1234567', '12345678', '123456789', '1234567890', '0123456789', '111111', '11111111', '000000', '00000000',
  '123123', '123123123', '654321', '666666', '88888888', 'abc123', 'abcd1234', 'abc12345', 'password', 'password1',
  'password12', 'password123', 'passw0rd', 'p@ssw0rd', 'qwerty', 'qwerty123', 'qwertyuiop', 'qwer1234', '1q2w3e4r',
  '1qaz2wsx', 'zaq12wsx', 'asdfghjkl', 'iloveyou', 'letmein', 'letmein1', 'welcome', 'welcome1', 'admin', 'admin123',
  'administrator', 'changeme', 'monkey', 'dragon', 'sunshine', 'princess', 'football', 'baseball', 'superman',
  'trustno1', 'master', 'secret', 'imcluster',
]);

/**
 * Throws INVALID (400, `password: ...`) unless `password` is at least `minLength` characters
 * (code points), differs from `name` (ignoring case) and is not on the deny list.
 */
export function checkPassword(password: string, name: string, minLength: number): void {
  const lower = password.toLowerCase();
  if ([...password].length < minLength) throw new ImError('INVALID', `password: at least ${minLength} characters`);
  if (lower === name.toLowerCase()) throw new ImError('INVALID', 'password: must not be the user name');
  if (DENIED.has(lower)) throw new ImError('INVALID', 'password: too common; choose another');
}
