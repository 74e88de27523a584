import type * as grpc from '@grpc/grpc-js';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@imcluster/common';
import type { Health, Metrics } from '@imcluster/metrics';
import { serve, shutdown, type ClusterCredentials } from '@imcluster/proto';
import type { Producer, Queue } from '@imcluster/queue';
import type { Registration, Registry } from '@imcluster/registry';
import type { Routing } from '@imcluster/routing';
import type { LimitStore } from '@imcluster/limits';
import type { Storage } from '@imcluster/storage';
import { WebAssets } from '@imcluster/web';
import { Authenticator } from './auth/authenticator.ts';
import { ConnectProxy } from './auth/connect_proxy.ts';
import { IdpTokens } from './auth/idp_tokens.ts';
import { Tokens } from './auth/tokens.ts';
import { ChatService } from './chat/chat_service.ts';
import { ClusterView } from './cluster_view.ts';
import { CometDirectory } from './comet_directory.ts';
import type { LogicConfig } from './config.ts';
import { Connections } from './connections.ts';
import { createLogicGrpcServer } from './grpc_server.ts';
import { createHttpServer } from './http/server.ts';
import { Online } from './online.ts';
import { PushService } from './push.ts';
import { Social } from './social/social.ts';
import { createUsers } from './users.ts';

export interface LogicDeps {
  registry: Registry;
  /** Shown to comets on every call and required of theirs. */
  cluster: ClusterCredentials;
  routing: Routing;
  queue: Queue;
  storage: Storage;
  /** Login and registration attempt counts (Redis in a cluster, memory in standalone). */
  limits: LimitStore;
  logger: Logger;
  pushTopic: string;
  partitions: number;
  metrics: Metrics;
  /** Where logic adds its readiness checks (logic.storage, logic.queue, logic.routing, logic.registry). */
  health: Health;
}

export interface LogicAddresses {
  http: string;
  grpc: string;
}

/** A logic process: stateless; login, presence, the push API; registered in the registry. */
export class Logic {
  readonly #config: LogicConfig;
  readonly #deps: LogicDeps;
  #producer?: Producer;
  #comets?: CometDirectory;
  #http?: FastifyInstance;
  #grpc?: grpc.Server;
  #registration?: Registration;
  #chat?: ChatService;
  #topicRetry?: NodeJS.Timeout;
  #closed = false;

  constructor(config: LogicConfig, deps: LogicDeps) {
    this.#config = config;
    this.#deps = deps;
  }

  async start(): Promise<LogicAddresses> {
    const { registry, cluster, routing, queue, logger, metrics, health } = this.#deps;
    const { host, grpcHost, advertiseHost } = this.#config;
    const storage = metrics.logic.timeStorage(this.#deps.storage);
    this.#watchHealth();
    await storage.migrate();
    // Login and connections do not need the queue: start without it and let pushes answer 503
    // until it is reachable, rather than keep the whole service down.
    this.#ensureTopic();
    this.#producer = await queue.producer();
    this.#comets = new CometDirectory(registry, cluster, metrics.grpc.client);
    await this.#comets.start();
    const push = new PushService(this.#producer, this.#deps.pushTopic, { maxBody: this.#config.pushMaxBody, maxTargets: this.#config.pushMaxTargets }, metrics.logic);
    const tokens = new Tokens(this.#config.jwtSecret, this.#config.tokenTtlSec);
    const auth = this.#authenticator(tokens, storage);
    const connections = new Connections({ routing, auth, heartbeatSec: this.#config.heartbeatSec });
    const users = createUsers(this.#config.accounts, { storage, tokens, routing, comets: this.#comets, limits: this.#deps.limits, logger });
    const online = new Online(routing, this.#comets);
    this.#chat = new ChatService({ storage, push, logger, ...this.#config.chat, metrics: metrics.logic });
    this.#grpc = createLogicGrpcServer(connections, push, this.#chat, logger, cluster, metrics.grpc.server);
    const grpcPort = await serve(this.#grpc, `${grpcHost}:${this.#config.grpcPort}`, cluster);
    const social = new Social({ storage, push, logger, groupMaxMembers: this.#config.groupMaxMembers });
    const clusterView = new ClusterView(registry);
    const web = new WebAssets();
    this.#http = createHttpServer({ config: this.#config, auth, users, push, online, comets: this.#comets, social, chat: this.#chat, metrics, health, cluster: clusterView, web }, logger);
    await this.#http.listen({ host, port: this.#config.httpPort });
    const httpPort = (this.#http.server.address() as { port: number }).port;
    const addresses = { http: `${advertiseHost}:${httpPort}`, grpc: `${advertiseHost}:${grpcPort}` };
    this.#registration = await registry.register({ id: this.#config.id, service: 'logic', addrs: addresses });
    return addresses;
  }

  /**
   * Stops taking HTTP requests (pushes, chat and social calls), finishing those in flight, while
   * gRPC stays up: a standalone node lets its comet record the disconnects of its drain first.
   */
  async closeHttp(): Promise<void> {
    const http = this.#http;
    this.#http = undefined;
    await http?.close();
  }

  /** Leaves the registry first so comets stop choosing it, then finishes calls in flight. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#topicRetry);
    await this.#registration?.close();
    await this.closeHttp();
    if (this.#grpc) await shutdown(this.#grpc);
    await this.#comets?.close();
    await this.#producer?.close();
  }

  /** The one Authenticator, with the optional identity provider and connect proxy the settings name. */
  #authenticator(tokens: Tokens, storage: Storage): Authenticator {
    const { apiKey, connectProxy, idp, anonymousRooms } = this.#config;
    return new Authenticator({
      tokens,
      storage,
      apiKey,
      anonymousRooms,
      ...(idp && { idp: new IdpTokens(idp) }),
      ...(connectProxy && { connectProxy: new ConnectProxy({ ...connectProxy, apiKey, logger: this.#deps.logger }) }),
    });
  }

  /** Ready while storage, the queue, the routing store and the registration all answer. */
  #watchHealth(): void {
    const { storage, queue, routing, health, metrics } = this.#deps;
    health.add('logic.storage', () => storage.ping().then(() => undefined));
    health.add('logic.queue', () => queue.ping().then(() => undefined));
    health.add('logic.routing', () => routing.ping().then(() => undefined));
    health.add('logic.registry', () => (this.#registration?.held ? undefined : 'registration lease not held (etcd unreachable?)'));
    metrics.trackLease('logic', () => this.#registration?.held ?? false);
  }

  #ensureTopic(): void {
    const { queue, pushTopic, partitions, logger } = this.#deps;
    queue.ensureTopic(pushTopic, partitions).catch((error: unknown) => {
      logger.warn({ err: error }, 'push topic not ensured: queue unreachable; pushes answer 503 until it is; retrying in 5 s');
      if (!this.#closed) this.#topicRetry = setTimeout(() => this.#ensureTopic(), 5000);
    });
  }
}
