import { chatLimits, groupLimits, StorageError, type CursorKind, type GroupRole, type NewChatMessage } from './storage.ts';

// Both adapters check their arguments here, before any I/O, so that both reject the same
// inputs with the same StorageError('INVALID') and neither stores a value cut short or altered.

// In a `u` regex a paired surrogate is one code point, so this matches lone surrogates only:
// they have no UTF-8 form and would be stored as U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function invalid(what: string, reason: string): StorageError {
  return new StorageError('INVALID', `${what}: ${reason}`);
}

/** A string of 1..maxChars code points (empty allowed when minChars is 0), well-formed. */
function checkText(what: string, value: unknown, maxChars: number, minChars = 1): string {
  if (typeof value !== 'string') {
    throw invalid(what, 'not a string');
  }
  if (LONE_SURROGATE.test(value)) {
    throw invalid(what, 'not well-formed UTF-16 (lone surrogate)');
  }
  // A code point is one or two UTF-16 units: count them only when the unit count leaves a doubt.
  const chars = value.length <= maxChars ? value.length : value.length > 2 * maxChars ? maxChars + 1 : [...value].length;
  if (chars < minChars || chars > maxChars) {
    throw invalid(what, `${chars} characters, allowed ${minChars}..${maxChars}`);
  }
  return value;
}

export function checkConv(conv: unknown): string {
  return checkText('conversation id', conv, chatLimits.convChars);
}

export function checkUserId(what: string, id: unknown): number {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    throw invalid(what, `${String(id)} is not a positive integer`);
  }
  return id;
}

export function checkSeq(what: string, seq: unknown): number {
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw invalid(what, `${String(seq)} is not a non-negative integer`);
  }
  return seq;
}

export function checkLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > chatLimits.pageSize) {
    throw invalid('limit', `${String(limit)} is not an integer in 1..${chatLimits.pageSize}`);
  }
  return limit;
}

export function checkDate(what: string, date: unknown): Date {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw invalid(what, 'not a valid Date');
  }
  return date;
}

export function checkDevice(device: unknown): string {
  if (typeof device !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(device)) {
    throw invalid('device id', `${JSON.stringify(device)} is not 1-64 characters of A-Z a-z 0-9 . _ : -`);
  }
  return device;
}

export function checkCursorKind(kind: unknown): CursorKind {
  if (kind !== 'delivered' && kind !== 'read') {
    throw invalid('cursor kind', `${String(kind)} is neither 'delivered' nor 'read'`);
  }
  return kind;
}

/** A copy of the message's fields, each checked. */
export function checkNewMessage(message: NewChatMessage): NewChatMessage {
  const payload = checkText('payload', message.payload, Number.MAX_SAFE_INTEGER, 0);
  const bytes = Buffer.byteLength(payload, 'utf8');
  if (bytes > chatLimits.payloadBytes) {
    throw invalid('payload', `${bytes} bytes of UTF-8, allowed ${chatLimits.payloadBytes}`);
  }
  return {
    conv: checkConv(message.conv),
    sender: checkUserId('sender', message.sender),
    clientMsgId: checkText('client message id', message.clientMsgId, chatLimits.clientMsgIdChars),
    contentType: checkText('content type', message.contentType, chatLimits.contentTypeChars),
    payload,
  };
}

export function checkGroupId(id: unknown): number {
  return checkUserId('group id', id);
}

export function checkGroupName(name: unknown): string {
  return checkText('group name', name, groupLimits.nameChars);
}

/** A role a member may be given: never 'owner', which only createGroup() hands out. */
export function checkMemberRole(role: unknown): Exclude<GroupRole, 'owner'> {
  if (role !== 'admin' && role !== 'member') {
    throw invalid('group role', `${String(role)} is neither 'admin' nor 'member'`);
  }
  return role;
}

/** Two different user ids, for a relation between users (friends, blocks). */
export function checkPair(a: unknown, b: unknown): [number, number] {
  const pair: [number, number] = [checkUserId('user', a), checkUserId('other user', b)];
  if (pair[0] === pair[1]) {
    throw invalid('users', `a relation needs two different users, got ${pair[0]} twice`);
  }
  return pair;
}

/** The pair ordered low, high: how friendships are keyed, whoever asked. */
export function lowHigh(a: number, b: number): [number, number] {
  return a < b ? [a, b] : [b, a];
}
