import { bool, csv, parseEnv, z } from '@imcluster/common';

/** Documented development defaults; a production deployment sets its own (see docs/operations.md). */
const DEV_JWT_SECRET = 'imcluster-dev-jwt-secret-change-me';
export const DEV_API_KEY = 'imcluster-dev-api-key';

/** Every logic setting, its environment variable and its default. */
export const logicSettings = z.object({
  IM_LOGIC_ID: z.string().min(1).default(`logic-${process.pid}`),
  IM_LOGIC_HOST: z.string().default('127.0.0.1'),
  IM_LOGIC_ADVERTISE_HOST: z.string().optional(),
  IM_LOGIC_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3111),
  IM_LOGIC_GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(3119),
  /** HS256 secret of user tokens; tokens minted elsewhere with it are accepted. */
  IM_JWT_SECRET: z.string().min(16).default(DEV_JWT_SECRET),
  /** Lifetime of tokens issued by register/login, seconds. */
  IM_TOKEN_TTL_SEC: z.coerce.number().int().min(60).default(7 * 24 * 3600),
  /** Key business backends send as `Authorization: Bearer <key>` to push. */
  IM_API_KEY: z.string().min(8).default(DEV_API_KEY),
  /** Silence after which a comet closes a connection, seconds (clients heartbeat well within it). */
  IM_HEARTBEAT_SEC: z.coerce.number().int().min(1).default(300),
  /** Room prefixes where anonymous (uid 0, no token) receive-only viewers may join; empty = nowhere. */
  IM_ANONYMOUS_ROOMS: csv('live://'),
  /** Room types accepted by the push API (`type` in goim's /goim/push/room). */
  IM_ROOM_TYPES: csv('live,room'),
  /** Largest push body accepted by the HTTP/gRPC push API, bytes. */
  IM_PUSH_MAX_BODY: z.coerce.number().int().min(16).default(32 * 1024),
  /** Largest number of keys or mids in one push request. */
  IM_PUSH_MAX_TARGETS: z.coerce.number().int().min(1).default(1000),
  /** Largest chat payload, bytes of UTF-8 (the client's packet body limit applies too). */
  IM_CHAT_MAX_PAYLOAD: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Direct messages only between friends (blocks always apply). */
  IM_CHAT_FRIENDS_ONLY: bool.default(false),
  /** How long after sending a sender may recall a message, seconds. */
  IM_CHAT_RECALL_WINDOW_SEC: z.coerce.number().int().min(0).default(120),
  /** Bytes of messages in one sync page (op 23) at most (a page always holds one message); `more` says the rest waits. */
  IM_CHAT_SYNC_PAGE_BYTES: z.coerce.number().int().min(4096).default(64 * 1024),
  /** Most members a group may have; its messages, receipts and recalls reach every one of them. */
  IM_CHAT_GROUP_MAX_MEMBERS: z.coerce.number().int().min(2).default(5000),
});

export type LogicConfig = ReturnType<typeof logicConfig>;

/** Logic's configuration from already parsed settings (see parseEnv, which a process runs once). */
export function logicConfig(raw: z.infer<typeof logicSettings>) {
  return {
    id: raw.IM_LOGIC_ID,
    host: raw.IM_LOGIC_HOST,
    advertiseHost: raw.IM_LOGIC_ADVERTISE_HOST ?? raw.IM_LOGIC_HOST,
    httpPort: raw.IM_LOGIC_HTTP_PORT,
    grpcPort: raw.IM_LOGIC_GRPC_PORT,
    jwtSecret: raw.IM_JWT_SECRET,
    tokenTtlSec: raw.IM_TOKEN_TTL_SEC,
    apiKey: raw.IM_API_KEY,
    heartbeatSec: raw.IM_HEARTBEAT_SEC,
    anonymousRooms: raw.IM_ANONYMOUS_ROOMS,
    roomTypes: raw.IM_ROOM_TYPES,
    pushMaxBody: raw.IM_PUSH_MAX_BODY,
    pushMaxTargets: raw.IM_PUSH_MAX_TARGETS,
    groupMaxMembers: raw.IM_CHAT_GROUP_MAX_MEMBERS,
    chat: {
      maxPayload: raw.IM_CHAT_MAX_PAYLOAD,
      recallWindowMs: raw.IM_CHAT_RECALL_WINDOW_SEC * 1000,
      friendsOnly: raw.IM_CHAT_FRIENDS_ONLY,
      syncPageBytes: raw.IM_CHAT_SYNC_PAGE_BYTES,
    },
  };
}

/** Logic's settings alone, parsed from `env`. */
export function loadLogicConfig(env: Record<string, string | undefined> = process.env): LogicConfig {
  return logicConfig(parseEnv(env, logicSettings));
}
