import { z } from '@imcluster/common';
import { isRoomId, MAX_ACCEPTS, MAX_OP, ROOM_ID_RULE } from '@imcluster/protocol';
import { AuthRefused } from './errors.ts';

/** What a client asked for in its op-7 body, in either dialect. */
export interface AuthRequest {
  dialect: 'goim' | 'bili';
  token: string;
  /** The user id the body claims; ignored when a token is present (the token's `sub` wins). */
  claimedMid: number;
  room: string;
  accepts: number[];
  protover: number;
  platform: string;
  /** The app's stable id of this device ("" when the client sent none): its own delivery cursors. */
  device: string;
}

/** What a device id may look like: the app persists it, so it stays the same across connections. */
export const DEVICE_ID_RULE = 'device_id: 1-64 characters of A-Z a-z 0-9 . _ : -';
const deviceId = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, DEVICE_ID_RULE);

// Numbers must be JSON numbers: "0", [], null or true are refused, not coerced.
const id = z.number().int().min(0);
// Bilibili clients may send the room as a string of decimal digits ("1000"); "0x10" or " 12 " are refused.
const biliRoom = id.or(z.string().regex(/^\d{1,15}$/, 'roomid: an integer or decimal digits').transform(Number));

// goim: {"mid":123,"room_id":"live://1000","platform":"web","accepts":[1000,1001],"token":"..."}
const goimBody = z.object({
  mid: id.default(0),
  room_id: z.string().refine(isRoomId, ROOM_ID_RULE).or(z.literal('')).default(''),
  platform: z.string().max(32).default(''),
  accepts: z.array(z.number().int().min(0).max(MAX_OP)).max(MAX_ACCEPTS).default([]),
  token: z.string().max(4096).default(''),
  device_id: deviceId.optional(),
});

// Bilibili live: {"uid":0,"roomid":1000,"protover":2,"platform":"web","type":2,"key":"<token>"}
const biliBody = z.object({
  uid: id.default(0),
  roomid: biliRoom,
  protover: z.number().int().min(0).max(3).default(0),
  platform: z.string().max(32).default(''),
  key: z.string().max(4096).default(''),
  device_id: deviceId.optional(),
});

/** Parses an op-7 body; the Bilibili dialect is recognised by its `roomid` field. Throws AuthRefused. */
export function parseAuthBody(body: Buffer): AuthRequest {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AuthRefused('auth body is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new AuthRefused('auth body must be a JSON object');
  return 'roomid' in json ? parseBili(json) : parseGoim(json);
}

function parseGoim(json: object): AuthRequest {
  const parsed = goimBody.safeParse(json);
  if (!parsed.success) throw new AuthRefused(`invalid auth body: ${parsed.error.issues[0]?.message ?? 'bad field'}`);
  const b = parsed.data;
  return { dialect: 'goim', token: b.token, claimedMid: b.mid, room: b.room_id, accepts: b.accepts, protover: 0, platform: b.platform, device: b.device_id ?? '' };
}

function parseBili(json: object): AuthRequest {
  const parsed = biliBody.safeParse(json);
  if (!parsed.success) throw new AuthRefused(`invalid auth body: ${parsed.error.issues[0]?.message ?? 'bad field'}`);
  const b = parsed.data;
  return { dialect: 'bili', token: b.key, claimedMid: b.uid, room: `live://${b.roomid}`, accepts: [], protover: b.protover, platform: b.platform, device: b.device_id ?? '' };
}
