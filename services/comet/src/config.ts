import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { csv, parseEnv, z } from '@imcluster/common';
import { adapterConfig, adapterSettings, type AdapterConfig } from '@imcluster/adapters';
import { readTls, TLS_FILES } from './tls.ts';

/** Every comet setting, its environment variable and its default. docs/operations.md lists them too. */
export const cometSettings = z.object({
  /** Unique id of this process in etcd and Redis. */
  IM_COMET_ID: z.string().min(1).default(`comet-${process.pid}`),
  /** Host the listeners bind to. */
  IM_COMET_HOST: z.string().default('127.0.0.1'),
  /** Address other processes use to reach this one (defaults to IM_COMET_HOST). */
  IM_COMET_ADVERTISE_HOST: z.string().optional(),
  /** Raw TCP address (host:port) the node lists give clients, e.g. a load balancer's (defaults to the advertised one). */
  IM_COMET_PUBLIC_TCP: z.string().regex(/^[^\s/:]+:\d+$/, 'host:port').optional(),
  /** WebSocket URL the node lists give clients, e.g. wss://im.example.com/sub behind a TLS proxy (defaults to ws://<advertised>/sub). */
  IM_COMET_PUBLIC_WS_URL: z.string().regex(/^wss?:\/\/[^\s/]+\/\S*$/, 'a ws:// or wss:// URL with a path').optional(),
  IM_COMET_TCP_PORT: z.coerce.number().int().min(0).max(65535).default(3101),
  IM_COMET_WS_PORT: z.coerce.number().int().min(0).max(65535).default(3102),
  IM_COMET_GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(3109),
  /** Address the internal gRPC listener binds to (defaults to IM_COMET_HOST). */
  IM_COMET_GRPC_HOST: z.string().optional(),
  /** Folder with tls.crt (the chain) and tls.key: the TCP and WebSocket listeners speak TLS (`wss://`). Unset: plaintext. */
  IM_COMET_TLS_DIR: z
    .string()
    .refine((dir) => TLS_FILES.every((f) => existsSync(join(dir, f))), `a folder holding ${TLS_FILES.join(' and ')}`)
    .optional(),
  /** Largest packet body accepted from a client, bytes (goim's default 4 KiB). */
  IM_COMET_MAX_BODY: z.coerce.number().int().min(64).default(4096),
  /** A connection must authenticate (op 7) within this many ms. */
  IM_COMET_HANDSHAKE_TIMEOUT_MS: z.coerce.number().int().min(100).default(8000),
  /**
   * Operations a connection may send per second, sustained, beyond its burst; heartbeats (op 2)
   * and chat sends (op 4, paced by IM_COMET_CHAT_MAX_PENDING) are not counted. Past it: close 3005.
   */
  IM_COMET_OPS_PER_SEC: z.coerce.number().int().min(1).default(50),
  /** Operations a connection may send at once before IM_COMET_OPS_PER_SEC applies. */
  IM_COMET_OPS_BURST: z.coerce.number().int().min(1).default(200),
  /** How often silent connections are looked for, ms. */
  IM_COMET_SWEEP_MS: z.coerce.number().int().min(50).default(1000),
  /** Connections are sharded over this many buckets by key. */
  IM_COMET_BUCKETS: z.coerce.number().int().min(1).max(1024).default(32),
  /** Bytes buffered in the kernel/socket before frames are held in the connection's own queue. */
  IM_COMET_SEND_HIGH_WATER: z.coerce.number().int().min(1024).default(256 * 1024),
  /** Frames a connection may hold in its queue; past it the oldest is dropped and counted. */
  IM_COMET_SEND_QUEUE: z.coerce.number().int().min(1).default(256),
  /** Bytes a connection's queue may hold, replies included; past it pushes are dropped, and a connection whose replies alone exceed it is disconnected (3002). */
  IM_COMET_SEND_QUEUE_BYTES: z.coerce.number().int().min(65_536).default(4 * 1024 * 1024),
  /** Frames dropped for one connection, without it catching up in between, before it is disconnected (3002). */
  IM_COMET_MAX_DROPS: z.coerce.number().int().min(0).default(1024),
  /** A connection whose frames wait this long, ms, without its socket draining once is disconnected (3002). */
  IM_COMET_SEND_STALL_MS: z.coerce.number().int().min(100).default(30_000),
  /** Longest a room message waits to share a frame with the room's next ones while the comet is busy, ms (0: never). */
  IM_COMET_ROOM_BATCH_MS: z.coerce.number().int().min(0).max(10_000).default(100),
  /** A room's waiting messages are written at once when this many wait. */
  IM_COMET_ROOM_BATCH_MAX: z.coerce.number().int().min(1).max(1000).default(100),
  /** Event-loop utilisation (0-1) up to which room messages never wait; the wait reaches the budget 0.4 above it. */
  IM_COMET_ROOM_BATCH_IDLE_LOAD: z.coerce.number().min(0).max(1).default(0.3),
  /** How often this comet sends logic the batch of routes due for renewal, ms. */
  IM_COMET_ALIVE_FLUSH_MS: z.coerce.number().int().min(100).default(5000),
  /** Closed connections are reported to logic in batches at most this often, ms. */
  IM_COMET_DISCONNECT_FLUSH_MS: z.coerce.number().int().min(10).default(200),
  /** Closed connections waiting to be reported, at most (beyond it their routes just expire). */
  IM_COMET_DISCONNECT_QUEUE: z.coerce.number().int().min(100).default(200_000),
  /** How often this comet reports its room counts and fetches cluster-wide counts, ms. */
  IM_COMET_RENEW_ONLINE_MS: z.coerce.number().int().min(100).default(10_000),
  /** Deadline of each gRPC call to logic, ms. */
  IM_COMET_LOGIC_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** Waits before each re-send of a chat message a connection has not acknowledged, ms; then it is left to sync. */
  IM_CHAT_RESEND_SCHEDULE_MS: csv('2000,5000,7000,11000')
    .refine((items) => items.length > 0 && items.every((n) => /^[1-9]\d*$/.test(n)), 'positive integers (ms), comma-separated')
    .transform((items) => items.map(Number)),
  /** Unacknowledged chat messages remembered per connection for re-sending; past it the oldest is left to sync. */
  IM_COMET_CHAT_UNACKED_MAX: z.coerce.number().int().min(1).default(256),
  /** Chat ops of one connection queued or in flight before its socket stops being read (back-pressure). */
  IM_COMET_CHAT_MAX_PENDING: z.coerce.number().int().min(1).default(64),
  /** Chat ops of one connection sent to logic in one call, at most. */
  IM_COMET_CHAT_BATCH: z.coerce.number().int().min(1).default(32),
  /** On SIGTERM or a drain (gRPC Drain, the console): ms over which clients are told to reconnect elsewhere. */
  IM_COMET_DRAIN_MS: z.coerce.number().int().min(0).default(2000),
  /**
   * `lean`: V8's optimize-for-size mode, about 3 KB of RSS per idle connection instead of about
   * 24 KB, for a few percent more CPU per delivery at heavy fan-out; `fast`: V8's defaults.
   */
  IM_COMET_HEAP: z.enum(['lean', 'fast']).default('lean'),
  /** HTTP port of /metrics, /healthz and /readyz (on IM_COMET_HOST). */
  IM_COMET_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(3103),
});

export type CometConfig = ReturnType<typeof cometConfig>;

/**
 * The comet's configuration from already parsed settings. The routing TTL is the adapters'
 * setting (IM_ROUTING_TTL_SEC, written by logic): routes are renewed every third of it.
 */
export function cometConfig(raw: z.infer<typeof cometSettings>, adapters: Pick<AdapterConfig, 'routingTtlSec'>) {
  return {
    id: raw.IM_COMET_ID,
    host: raw.IM_COMET_HOST,
    advertiseHost: raw.IM_COMET_ADVERTISE_HOST ?? raw.IM_COMET_HOST,
    publicTcp: raw.IM_COMET_PUBLIC_TCP,
    publicWsUrl: raw.IM_COMET_PUBLIC_WS_URL,
    tcpPort: raw.IM_COMET_TCP_PORT,
    wsPort: raw.IM_COMET_WS_PORT,
    grpcPort: raw.IM_COMET_GRPC_PORT,
    grpcHost: raw.IM_COMET_GRPC_HOST ?? raw.IM_COMET_HOST,
    tls: raw.IM_COMET_TLS_DIR ? readTls(raw.IM_COMET_TLS_DIR) : undefined,
    maxBody: raw.IM_COMET_MAX_BODY,
    handshakeTimeoutMs: raw.IM_COMET_HANDSHAKE_TIMEOUT_MS,
    sweepMs: raw.IM_COMET_SWEEP_MS,
    opLimit: { perSec: raw.IM_COMET_OPS_PER_SEC, burst: raw.IM_COMET_OPS_BURST },
    buckets: raw.IM_COMET_BUCKETS,
    roomBatch: { budgetMs: raw.IM_COMET_ROOM_BATCH_MS, max: raw.IM_COMET_ROOM_BATCH_MAX, idleLoad: raw.IM_COMET_ROOM_BATCH_IDLE_LOAD },
    send: {
      highWaterBytes: raw.IM_COMET_SEND_HIGH_WATER,
      queueFrames: raw.IM_COMET_SEND_QUEUE,
      queueBytes: raw.IM_COMET_SEND_QUEUE_BYTES,
      maxDrops: raw.IM_COMET_MAX_DROPS,
      stallMs: raw.IM_COMET_SEND_STALL_MS,
    },
    aliveFlushMs: raw.IM_COMET_ALIVE_FLUSH_MS,
    // Three renewals per routing TTL: a route survives two lost reports.
    renewRouteMs: Math.floor((adapters.routingTtlSec * 1000) / 3),
    renewOnlineMs: raw.IM_COMET_RENEW_ONLINE_MS,
    goneFlushMs: raw.IM_COMET_DISCONNECT_FLUSH_MS,
    goneMaxQueued: raw.IM_COMET_DISCONNECT_QUEUE,
    logicTimeoutMs: raw.IM_COMET_LOGIC_TIMEOUT_MS,
    drainMs: raw.IM_COMET_DRAIN_MS,
    resend: { scheduleMs: raw.IM_CHAT_RESEND_SCHEDULE_MS, unackedMax: raw.IM_COMET_CHAT_UNACKED_MAX },
    chat: { maxPending: raw.IM_COMET_CHAT_MAX_PENDING, maxBatch: raw.IM_COMET_CHAT_BATCH },
    metricsPort: raw.IM_COMET_METRICS_PORT,
    heap: raw.IM_COMET_HEAP,
  };
}

/** The comet's settings alone (with the adapters' it depends on), parsed from `env`. */
export function loadCometConfig(env: Record<string, string | undefined> = process.env): CometConfig {
  const raw = parseEnv(env, cometSettings, adapterSettings);
  return cometConfig(raw, adapterConfig(raw));
}
