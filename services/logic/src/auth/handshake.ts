import { z } from '@imcluster/common';
import { isRoomId, ROOM_ID_RULE } from '@imcluster/protocol';
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
}

// goim: {"mid":123,"room_id":"live://1000","platform":"web","accepts":[1000,1001],"token":"..."}
const goimBody = z.object({
  mid: z.coerce.number().int().min(0).default(0),
  room_id: z.string().refine(isRoomId, ROOM_ID_RULE).or(z.literal('')).default(''),
  platform: z.string().max(32).default(''),
  accepts: z.array(z.number().int().min(0)).max(256).default([]),
  token: z.string().max(4096).default(''),
});

// Bilibili live: {"uid":0,"roomid":1000,"protover":2,"platform":"web","type":2,"key":"<token>"}
const biliBody = z.object({
  uid: z.coerce.number().int().min(0).default(0),
  roomid: z.coerce.number().int().min(0),
  protover: z.coerce.number().int().min(0).max(3).default(0),
  platform: z.string().max(32).default(''),
  key: z.string().max(4096).default(''),
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
  return { dialect: 'goim', token: b.token, claimedMid: b.mid, room: b.room_id, accepts: b.accepts, protover: 0, platform: b.platform };
}

function parseBili(json: object): AuthRequest {
  const parsed = biliBody.safeParse(json);
  if (!parsed.success) throw new AuthRefused(`invalid auth body: ${parsed.error.issues[0]?.message ?? 'bad field'}`);
  const b = parsed.data;
  return { dialect: 'bili', token: b.key, claimedMid: b.uid, room: `live://${b.roomid}`, accepts: [], protover: b.protover, platform: b.platform };
}
