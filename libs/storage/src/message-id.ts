import { randomBytes } from 'node:crypto';

/**
 * A new server message id: a UUID version 7 (RFC 9562), 48 bits of Unix milliseconds then 74
 * random bits. Ids made later sort after earlier ones (to the millisecond), which keeps the
 * unique index on them append-mostly.
 */
export function newMessageId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
