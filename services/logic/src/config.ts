import { bool, csv, parseEnv, secret, z } from '@imcluster/common';

/** Documented development defaults of a standalone node; cluster mode refuses them (see docs/operations.md). */
export const DEV_JWT_SECRET = 'imcluster-dev-jwt-secret-change-me';
export const DEV_API_KEY = 'imcluster-dev-api-key';

/**
 * Threads of libuv's pool in this process (Node reads UV_THREADPOOL_SIZE once, at start): password
 * hashing may use all but one, so token checks (WebCrypto jobs on the same pool) never queue behind it.
 */
const THREAD_POOL = Math.max(2, Number(process.env.UV_THREADPOOL_SIZE) || 4);

/** Signature algorithms an identity provider may use; HS256 always means our own tokens. */
const ASYMMETRIC = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']);

const httpUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });

/** Every logic setting, its environment variable and its default. */
export const logicSettings = z.object({
  IM_LOGIC_ID: z.string().min(1).default(`logic-${process.pid}`),
  IM_LOGIC_HOST: z.string().default('127.0.0.1'),
  IM_LOGIC_ADVERTISE_HOST: z.string().optional(),
  IM_LOGIC_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3111),
  IM_LOGIC_GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(3119),
  /** Address the internal gRPC listener binds to (defaults to IM_LOGIC_HOST). */
  IM_LOGIC_GRPC_HOST: z.string().optional(),
  /** HS256 secret of user tokens; tokens minted elsewhere with it are accepted. */
  IM_JWT_SECRET: secret(DEV_JWT_SECRET),
  /** Lifetime of tokens issued by register/login, seconds; a socket is closed (3509) when its token expires. */
  IM_TOKEN_TTL_SEC: z.coerce.number().int().min(1).default(7 * 24 * 3600),
  /** Who may register: anyone, nobody, or callers with an invite (POST /api/v1/invites). */
  IM_REGISTRATION: z.enum(['open', 'closed', 'invite']).default('open'),
  /** Shortest password accepted at registration and password change, characters. */
  IM_PASSWORD_MIN_LENGTH: z.coerce.number().int().min(1).max(256).default(8),
  /** scrypt computations at once; below the libuv pool's size (UV_THREADPOOL_SIZE, 4) so token checks never wait behind them. */
  IM_PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(THREAD_POOL - 1).default(2),
  /** Password checks that may wait for a turn; beyond it login and registration answer 503. */
  IM_PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).default(64),
  /** Login and registration attempts per client address per minute; 0 = no limit. */
  IM_AUTH_ADDRESS_PER_MIN: z.coerce.number().int().min(0).default(30),
  /** Login attempts on one account without a success before it is locked. */
  IM_AUTH_ACCOUNT_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  /** The window of those attempts and the lockout after them, seconds. */
  IM_AUTH_LOCKOUT_SEC: z.coerce.number().int().min(1).default(900),
  /** The business backend's URL that decides who every socket is (connect proxy); unset = tokens decide. */
  IM_AUTH_CONNECT_PROXY_URL: httpUrl.optional(),
  /** How long the backend may take to answer, ms; then the client is told 3004 (retry). */
  IM_AUTH_CONNECT_PROXY_TIMEOUT_MS: z.coerce.number().int().min(50).default(2000),
  /** Backend requests in flight at once per logic process; beyond it clients are told 3004 at once. */
  IM_AUTH_CONNECT_PROXY_CONCURRENCY: z.coerce.number().int().min(1).default(64),
  /** How long an answer is reused for a byte-identical op-7 body, ms; 0 = ask every time. */
  IM_AUTH_CONNECT_PROXY_CACHE_MS: z.coerce.number().int().min(0).default(0),
  /** An identity provider's JSON Web Key Set URL: its RS256/ES256/EdDSA tokens are accepted too; unset = ours only. */
  IM_AUTH_JWKS_URL: httpUrl.optional(),
  /** The `iss` identity-provider tokens must carry; unset = not checked. */
  IM_AUTH_JWKS_ISSUER: z.string().min(1).optional(),
  /** The `aud` identity-provider tokens must carry; unset = not checked. */
  IM_AUTH_JWKS_AUDIENCE: z.string().min(1).optional(),
  /** The claim of an identity-provider token that holds the user's id there. */
  IM_AUTH_JWKS_USER_CLAIM: z.string().min(1).default('sub'),
  /** Signature algorithms accepted from the identity provider. */
  IM_AUTH_JWKS_ALGORITHMS: csv('RS256,ES256,EdDSA').refine((algs) => algs.every((alg) => ASYMMETRIC.has(alg)), `one or more of ${[...ASYMMETRIC].join(', ')}`),
  /** Least time between two key set fetches (a token with an unknown `kid` triggers one), ms. */
  IM_AUTH_JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).default(30_000),
  /** Take the client address from X-Forwarded-For (logic behind a proxy or load balancer). */
  IM_LOGIC_TRUST_PROXY: bool.default(false),
  /** Key business backends send as `Authorization: Bearer <key>` to push. */
  IM_API_KEY: secret(DEV_API_KEY),
  /** Browser origins allowed to call the HTTP API (CORS), e.g. `https://app.example.com`; empty = none. */
  IM_HTTP_CORS_ORIGINS: csv(''),
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
  /** Serve POST /api/v1/demo/danmaku, which lets any signed-in user push to a room (the demo app's live page); on in the standalone node. */
  IM_DEMO_DANMAKU: bool.default(false),
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
    grpcHost: raw.IM_LOGIC_GRPC_HOST ?? raw.IM_LOGIC_HOST,
    jwtSecret: raw.IM_JWT_SECRET,
    tokenTtlSec: raw.IM_TOKEN_TTL_SEC,
    trustProxy: raw.IM_LOGIC_TRUST_PROXY,
    accounts: {
      registration: raw.IM_REGISTRATION,
      passwordMinLength: raw.IM_PASSWORD_MIN_LENGTH,
      hashConcurrency: raw.IM_PASSWORD_HASH_CONCURRENCY,
      hashQueue: raw.IM_PASSWORD_HASH_QUEUE,
      perAddressPerMin: raw.IM_AUTH_ADDRESS_PER_MIN,
      accountAttempts: raw.IM_AUTH_ACCOUNT_ATTEMPTS,
      lockoutSec: raw.IM_AUTH_LOCKOUT_SEC,
    },
    apiKey: raw.IM_API_KEY,
    corsOrigins: raw.IM_HTTP_CORS_ORIGINS,
    idp: raw.IM_AUTH_JWKS_URL === undefined ? undefined : {
      jwksUrl: raw.IM_AUTH_JWKS_URL,
      issuer: raw.IM_AUTH_JWKS_ISSUER,
      audience: raw.IM_AUTH_JWKS_AUDIENCE,
      userClaim: raw.IM_AUTH_JWKS_USER_CLAIM,
      algorithms: raw.IM_AUTH_JWKS_ALGORITHMS,
      cooldownMs: raw.IM_AUTH_JWKS_COOLDOWN_MS,
    },
    connectProxy: raw.IM_AUTH_CONNECT_PROXY_URL === undefined ? undefined : {
      url: raw.IM_AUTH_CONNECT_PROXY_URL,
      timeoutMs: raw.IM_AUTH_CONNECT_PROXY_TIMEOUT_MS,
      concurrency: raw.IM_AUTH_CONNECT_PROXY_CONCURRENCY,
      cacheMs: raw.IM_AUTH_CONNECT_PROXY_CACHE_MS,
    },
    heartbeatSec: raw.IM_HEARTBEAT_SEC,
    anonymousRooms: raw.IM_ANONYMOUS_ROOMS,
    roomTypes: raw.IM_ROOM_TYPES,
    pushMaxBody: raw.IM_PUSH_MAX_BODY,
    pushMaxTargets: raw.IM_PUSH_MAX_TARGETS,
    groupMaxMembers: raw.IM_CHAT_GROUP_MAX_MEMBERS,
    demoDanmaku: raw.IM_DEMO_DANMAKU,
    chat: {
      maxPayload: raw.IM_CHAT_MAX_PAYLOAD,
      recallWindowMs: raw.IM_CHAT_RECALL_WINDOW_SEC * 1000,
      friendsOnly: raw.IM_CHAT_FRIENDS_ONLY,
      syncPageBytes: raw.IM_CHAT_SYNC_PAGE_BYTES,
    },
  };
}

/** Logic's settings alone, parsed from `env` (standalone mode: development secrets unless set), for in-process tests. */
export function loadLogicConfig(env: Record<string, string | undefined> = process.env): LogicConfig {
  return logicConfig(parseEnv({ IM_MODE: 'standalone', ...env }, logicSettings));
}
