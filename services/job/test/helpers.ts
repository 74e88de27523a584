import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { createLogger } from '@imcluster/common';
import { Metrics } from '@imcluster/metrics';
import { createServer, loadProtos, serve, type ClusterCredentials, type CometHandlers, type Message__Output, type PushKeysReq__Output, type PushStreamReq__Output } from '@imcluster/proto';
import { MemoryRegistry } from '@imcluster/registry';
import { MemoryRouting } from '@imcluster/routing';
import { CometPool } from '../src/comet_pool.ts';

export const logger = createLogger('job-test', process.env.IM_LOG_LEVEL ?? 'silent');

/** Polls `probe` every few ms until it holds; fails after `timeoutMs` with `what`. */
export async function waitFor(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
}

/** One push call a fake comet received, in arrival order; `refused` when it answered (or will answer) UNAVAILABLE. */
export interface CometCall {
  method: 'PushKeys' | 'BroadcastRoom' | 'Broadcast';
  keys?: string[];
  room?: string;
  force?: boolean;
  speed?: number;
  /** Bodies of the messages, as text. */
  bodies: string[];
  refused: boolean;
}

/**
 * A comet at the gRPC boundary: a real gRPC server on loopback that records every push call.
 * `failNext` calls answer UNAVAILABLE; while `hold` is set, calls wait until `releaseAll()`.
 */
export class FakeComet {
  readonly calls: CometCall[] = [];
  failNext = 0;
  hold = false;
  #held: (() => void)[] = [];

  readonly handlers: Partial<CometHandlers> = {
    PushKeys: ({ request }, cb) => this.#answer(keysCall(request), cb, { delivered: request.keys.length, missing: 0 }),
    BroadcastRoom: ({ request }, cb) => this.#answer({ method: 'BroadcastRoom', room: request.room, bodies: bodies(request.msgs) }, cb, { delivered: 1 }),
    // Recorded as PushKeys and BroadcastRoom calls; a refused push fails the whole stream, as a failing comet would.
    PushStream: (call) => {
      call.on('data', ({ id, room, keys }: PushStreamReq__Output) => {
        const recorded = keys ? keysCall(keys) : { method: 'BroadcastRoom' as const, room: room?.room ?? '', bodies: bodies(room?.msgs ?? []) };
        this.#answer(recorded, (error) => {
          if (error) call.emit('error', error);
          else call.write({ id, delivered: 1 });
        }, {});
      });
      call.on('end', () => call.end());
    },
    Broadcast: ({ request }, cb) => this.#answer({ method: 'Broadcast', speed: request.speed, bodies: bodies(request.msg ? [request.msg] : []) }, cb, { delivered: 1 }),
  };

  /** Calls answered (or to be answered) with success. */
  accepted(method?: CometCall['method']): CometCall[] {
    return this.calls.filter((c) => !c.refused && (method === undefined || c.method === method));
  }

  releaseAll(): void {
    const held = this.#held;
    this.#held = [];
    for (const release of held) release();
  }

  #answer(call: Omit<CometCall, 'refused'>, cb: (error: Partial<grpc.StatusObject> | null, value?: object) => void, reply: object): void {
    const refused = this.failNext > 0;
    if (refused) this.failNext--;
    this.calls.push({ ...call, refused });
    const answer = () => {
      if (refused) cb({ code: grpc.status.UNAVAILABLE, details: 'comet failing (test)' });
      else cb(null, reply);
    };
    if (this.hold) this.#held.push(answer);
    else answer();
  }
}

function keysCall(request: PushKeysReq__Output): Omit<CometCall, 'refused'> {
  return { method: 'PushKeys', keys: request.keys, force: request.force, bodies: bodies(request.msg ? [request.msg] : []) };
}

function bodies(msgs: Message__Output[]): string[] {
  return msgs.map((m) => m.body.toString('utf8'));
}

export interface Cluster {
  registry: MemoryRegistry;
  routing: MemoryRouting;
  pool: CometPool;
  comets: Record<string, FakeComet>;
}

/** The cluster secret the fake comets and the pool under test share. */
export const credentials: ClusterCredentials = { secret: 'job-test-cluster-secret' };

/**
 * Fake comets registered under `ids` in a memory registry, a started CometPool over them (calls
 * tried `attempts` times, each within `timeoutMs`) and an empty memory routing table. Everything
 * is closed after the test.
 */
export async function cluster(t: TestContext, ids: string[], attempts = 1, options: { withoutPushStream?: boolean; timeoutMs?: number } = {}): Promise<Cluster> {
  const registry = new MemoryRegistry({ logger });
  const routing = new MemoryRouting();
  const comets: Record<string, FakeComet> = {};
  const servers: grpc.Server[] = [];
  for (const id of ids) {
    const comet = new FakeComet();
    // A comet of a version before PushStream, as during a rolling upgrade.
    if (options.withoutPushStream) delete comet.handlers.PushStream;
    const server = createServer(credentials);
    // grpc-js answers UNIMPLEMENTED for the methods left out.
    server.addService(loadProtos().CometService.service, comet.handlers as grpc.UntypedServiceImplementation);
    const port = await serve(server, '127.0.0.1:0', credentials);
    await registry.register({ id, service: 'comet', addrs: { grpc: `127.0.0.1:${port}` } });
    comets[id] = comet;
    servers.push(server);
  }
  const pool = new CometPool({ registry, cluster: credentials, timeoutMs: options.timeoutMs ?? 2000, attempts, suspendMs: 1000, logger, calls: new Metrics().grpc.client });
  await pool.start();
  t.after(async () => {
    for (const comet of Object.values(comets)) comet.releaseAll();
    await pool.close();
    await registry.close();
    await routing.close();
    for (const server of servers) server.forceShutdown();
  });
  return { registry, routing, pool, comets };
}
