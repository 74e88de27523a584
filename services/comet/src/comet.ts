import type http from 'node:http';
import type net from 'node:net';
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '@imcluster/common';
import type { Health, Metrics } from '@imcluster/metrics';
import { CloseCode } from '@imcluster/protocol';
import { serve, shutdown, type ClusterCredentials } from '@imcluster/proto';
import type { Registration, Registry } from '@imcluster/registry';
import type { CometConfig } from './config.ts';
import { createCometGrpcServer } from './grpc_server.ts';
import { closeChannel, Hub } from './hub.ts';
import { LogicPool } from './logic_pool.ts';
import { GoneReporter } from './gone_reporter.ts';
import { PresenceReporter } from './presence_reporter.ts';
import { Session, type SessionDeps } from './session.ts';
import { createTcpServer } from './server_tcp.ts';
import { createWsServer } from './server_ws.ts';
import { CometStats } from './stats.ts';
import type { Transport } from './transport.ts';

export interface CometDeps {
  registry: Registry;
  /** Shown to logic on every call and required of job's calls. */
  cluster: ClusterCredentials;
  logger: Logger;
  metrics: Metrics;
  /** Where the comet adds its readiness checks (comet.logic, comet.registry, comet.draining). */
  health: Health;
}

/** Addresses a started comet listens on (ports resolved when 0 was asked for). */
export interface CometAddresses {
  tcp: string;
  ws: string;
  grpc: string;
}

/**
 * A comet gateway: client sockets (TCP and WebSocket), authentication through logic, heartbeats,
 * the gRPC push service for job, and its registration in the registry.
 */
export class Comet {
  readonly stats: CometStats;
  readonly #config: CometConfig;
  readonly #deps: CometDeps;
  readonly #hub: Hub;
  readonly #logic: LogicPool;
  readonly #presence: PresenceReporter;
  readonly #pending = new Set<Session>();
  readonly #gone: GoneReporter;
  #tcp?: net.Server;
  #ws?: http.Server;
  #grpc?: grpc.Server;
  readonly #pushStreams = new Set<{ end(): void }>();
  #registration?: Registration;
  #sweeper?: NodeJS.Timeout;
  #addresses?: CometAddresses;
  #draining = false;
  #drained?: Promise<number>;
  /** What every session shares: one object for all, not one per connection. */
  readonly #sessionDeps: SessionDeps;

  constructor(config: CometConfig, deps: CometDeps) {
    this.#config = config;
    this.#deps = deps;
    this.stats = new CometStats(deps.metrics.comet);
    this.#hub = new Hub(config.buckets, this.stats, deps.metrics.comet, config.resend, config.roomBatch);
    this.#logic = new LogicPool(deps.registry, deps.cluster, config.logicTimeoutMs, deps.logger, deps.metrics.grpc.client);
    this.#gone = new GoneReporter({ logic: this.#logic, serverId: config.id, flushMs: config.goneFlushMs, maxQueued: config.goneMaxQueued, logger: deps.logger });
    this.#presence = new PresenceReporter({
      hub: this.#hub,
      logic: this.#logic,
      serverId: config.id,
      aliveFlushMs: config.aliveFlushMs,
      renewRouteMs: config.renewRouteMs,
      renewOnlineMs: config.renewOnlineMs,
      logger: deps.logger,
    });
    this.#sessionDeps = {
      serverId: config.id,
      hub: this.#hub,
      logic: this.#logic,
      presence: this.#presence,
      sendPolicy: config.send,
      chat: config.chat,
      opLimit: config.opLimit,
      handshakeTimeoutMs: config.handshakeTimeoutMs,
      logger: deps.logger,
      gone: this.#gone,
      metrics: deps.metrics.comet,
    };
  }

  get addresses(): CometAddresses {
    if (!this.#addresses) throw new Error('comet not started');
    return this.#addresses;
  }

  /** `metricsAddress`: where /metrics answers for this process, registered for the operator console. */
  async start(options: { metricsAddress?: string } = {}): Promise<CometAddresses> {
    const { host, grpcHost, advertiseHost, tls, handshakeTimeoutMs } = this.#config;
    this.#watchHealth();
    await this.#logic.start();
    this.#presence.start();
    const accept = (transport: Transport) => this.#accept(transport);
    this.#tcp = createTcpServer(accept, this.#config.maxBody, tls, handshakeTimeoutMs);
    this.#ws = createWsServer(accept, this.#config.maxBody, tls, handshakeTimeoutMs);
    this.#grpc = createCometGrpcServer(
      { serverId: this.#config.id, hub: this.#hub, stats: this.stats, drain: () => this.drain(), pushStreams: this.#pushStreams },
      this.#deps.cluster,
      this.#deps.metrics.grpc.server,
    );
    const tcpPort = await listen(this.#tcp, host, this.#config.tcpPort);
    const wsPort = await listen(this.#ws, host, this.#config.wsPort);
    const grpcPort = await serve(this.#grpc, `${grpcHost}:${this.#config.grpcPort}`, this.#deps.cluster);
    this.#addresses = { tcp: `${advertiseHost}:${tcpPort}`, ws: `${advertiseHost}:${wsPort}`, grpc: `${advertiseHost}:${grpcPort}` };
    this.#sweeper = setInterval(() => this.#sweep(), this.#config.sweepMs);
    this.#hub.startResends();
    // meta.tls tells logic's node list to hand clients wss:// and TLS on TCP; the public addresses
    // (when set) are what the node lists hand to clients instead of the advertised ones.
    const { publicTcp, publicWsUrl } = this.#config;
    const addrs: Record<string, string> = { ...this.#addresses };
    if (options.metricsAddress) addrs.metrics = options.metricsAddress;
    if (publicTcp) addrs.publicTcp = publicTcp;
    if (publicWsUrl) addrs.publicWs = publicWsUrl;
    this.#registration = await this.#deps.registry.register({ id: this.#config.id, service: 'comet', addrs, ...(tls ? { meta: { tls: 1 } } : {}) });
    return this.#addresses;
  }

  /**
   * Takes the comet out of service, its process still running (the admin drain, and the first half
   * of close()): leave the registry first so job stops sending here and discovery stops listing
   * it, stop accepting, then tell every client to reconnect elsewhere (close code 3001), spread
   * over the drain period so the other comets are not hit by a thundering herd. Resolves with the
   * number of clients told; a second call answers 0.
   */
  drain(): Promise<number> {
    if (this.#drained) return this.#drained.then(() => 0);
    this.#drained = this.#drainOnce();
    return this.#drained;
  }

  /** Graceful stop: drain, then report the disconnects and stop serving gRPC. */
  async close(): Promise<void> {
    await this.drain();
    this.#presence.stop();
    this.#hub.stopPacedBroadcasts();
    this.#hub.stopRoomWrites();
    this.#hub.stopResends();
    await Promise.race([this.#gone.flush(), delay(5000)]);
    this.#gone.stop();
    for (const stream of this.#pushStreams) stream.end();
    if (this.#grpc) await shutdown(this.#grpc);
    await this.#logic.close();
  }

  async #drainOnce(): Promise<number> {
    this.#draining = true;
    await this.#registration?.close();
    clearInterval(this.#sweeper);
    this.#tcp?.close();
    this.#ws?.close();
    for (const session of this.#pending) session.close(CloseCode.SERVER_SHUTDOWN, 'server shutting down');
    return this.#drainClients();
  }

  /** Ready while a logic instance can authenticate clients, job can find this comet, and it is not draining. */
  #watchHealth(): void {
    const { health, metrics } = this.#deps;
    health.add('comet.logic', () => (this.#logic.size > 0 ? undefined : 'no logic instance registered'));
    health.add('comet.registry', () => (this.#registration?.held ? undefined : 'registration lease not held (etcd unreachable?)'));
    health.add('comet.draining', () => (this.#draining ? 'draining: clients are being moved to other comets' : undefined));
    metrics.trackLease('comet', () => this.#registration?.held ?? false);
  }

  #accept(transport: Transport): Session {
    this.#deps.metrics.comet.socketAccepted(transport.kind).inc();
    const session = new Session(transport, this.#sessionDeps);
    this.#pending.add(session);
    return session;
  }

  /**
   * Closes connections that did not authenticate in time, stopped reading, went silent past their
   * heartbeat, or whose token expired: one pass every IM_COMET_SWEEP_MS serves every connection
   * (no timer each).
   */
  #sweep(): void {
    const now = Date.now();
    for (const session of this.#pending) {
      if (!session.pendingAuth) this.#pending.delete(session);
      else if (now > session.authDeadline) {
        this.#pending.delete(session);
        this.#deps.metrics.comet.auth(CloseCode.AUTH_TIMEOUT).inc();
        session.close(CloseCode.AUTH_TIMEOUT, 'no auth packet in time');
      }
    }
    const queueDepth = this.#deps.metrics.comet.sendQueueDepth;
    for (const channel of this.#hub.channels()) {
      queueDepth.observe(channel.queued);
      if (channel.stalled(now)) this.#hub.closeSlow(channel);
      else if (channel.heartbeatMs > 0 && now - channel.lastSeen > channel.heartbeatMs) {
        closeChannel(channel, CloseCode.HEARTBEAT_TIMEOUT, 'heartbeat timeout');
      } else if (channel.identity.tokenExpiresAt > 0 && now >= channel.identity.tokenExpiresAt) {
        closeChannel(channel, CloseCode.TOKEN_EXPIRED, 'token expired');
      }
    }
  }

  async #drainClients(): Promise<number> {
    const channels = [...this.#hub.channels()];
    const slices = Math.max(1, Math.ceil(this.#config.drainMs / 50));
    const perSlice = Math.ceil(channels.length / slices);
    for (let i = 0; i < channels.length; i += perSlice) {
      for (const channel of channels.slice(i, i + perSlice)) {
        // Recorded now: a client may take its time to answer the close frame.
        if (this.#hub.remove(channel)) this.#gone.report(channel.identity.mid, channel.key);
        closeChannel(channel, CloseCode.SERVER_SHUTDOWN, 'server shutting down');
      }
      if (i + perSlice < channels.length) await delay(50);
    }
    return channels.length;
  }
}

function listen(server: net.Server | http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
