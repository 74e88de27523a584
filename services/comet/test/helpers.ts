import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { createLogger } from '@imcluster/common';
import { Metrics } from '@imcluster/metrics';
import { createServer, loadProtos, serve, shutdown, type ClusterCredentials, type LogicHandlers } from '@imcluster/proto';
import { encodePacket, PacketDecoder, type Packet } from '@imcluster/protocol';
import { MemoryRegistry } from '@imcluster/registry';
import { GoneReporter } from '../src/gone_reporter.ts';
import { Hub, type ResendPolicy } from '../src/hub.ts';
import { LogicPool } from '../src/logic_pool.ts';
import { PresenceReporter } from '../src/presence_reporter.ts';
import type { OpLimit } from '../src/op_budget.ts';
import type { SendPolicy } from '../src/channel.ts';
import { Session } from '../src/session.ts';
import { CometStats } from '../src/stats.ts';
import type { Transport } from '../src/transport.ts';

export const logger = createLogger('comet-test', process.env.IM_LOG_LEVEL ?? 'silent');

export const SERVER_ID = 'comet-test';

/** Polls `probe` every few ms until it holds; fails after `timeoutMs` with `what`. */
export async function waitFor(what: string, probe: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
}

/**
 * A TCP-kind transport in memory: decodes what the session writes, records how it was closed and
 * whether reading is paused (back-pressure).
 */
export class FakeTransport implements Transport {
  readonly kind = 'tcp';
  readonly remoteAddress = '127.0.0.1';
  readonly remote = '127.0.0.1:50000';
  readonly packets: Packet[] = [];
  paused = false;
  /** What buffered() reports: set it high to play a client that does not read. */
  bufferedBytes = 0;
  #closeCode?: number;
  #onDrain?: () => void;
  readonly #decoder = new PacketDecoder(1 << 20);

  write(bytes: Buffer): void {
    if (this.#closeCode !== undefined) throw new Error('write after close');
    for (const packet of this.#decoder.push(Buffer.from(bytes))) this.packets.push(packet);
  }

  buffered(): number {
    return this.bufferedBytes;
  }

  onDrain(listener: () => void): void {
    this.#onDrain = listener;
  }

  /** The client read everything: the buffer is empty and the drain listener runs. */
  drain(): void {
    this.bufferedBytes = 0;
    this.#onDrain?.();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  close(code: number): void {
    this.#closeCode = code;
  }

  destroy(): void {
    this.#closeCode ??= 0;
  }

  /** The close code the session closed with; undefined while open (0: destroyed). */
  closeCode(): number | undefined {
    return this.#closeCode;
  }

  /** Packets of `op` written so far. */
  of(op: number): Packet[] {
    return this.packets.filter((p) => p.op === op);
  }

  /** The JSON body of the first packet of `op` (waits for it). */
  async json<T = Record<string, unknown>>(op: number): Promise<T> {
    await waitFor(`a packet of op ${op}`, () => this.of(op).length > 0);
    return JSON.parse(this.of(op)[0]!.body.toString('utf8')) as T;
  }

  waitClosed(): Promise<void> {
    return waitFor('the transport to close', () => this.#closeCode !== undefined);
  }
}

/** The cluster secret the in-process doubles and the pools under test share. */
export const credentials: ClusterCredentials = { secret: 'comet-test-cluster-secret' };

/**
 * A logic instance at the gRPC boundary: a real gRPC server on loopback serving `handlers`
 * (methods left out answer UNIMPLEMENTED), registered in a memory registry, so the session calls
 * it through the real LogicPool. `stop()` takes it down: later calls find no logic.
 */
export async function fakeLogic(t: TestContext, handlers: Partial<LogicHandlers>): Promise<{ pool: LogicPool; stop: () => Promise<void> }> {
  const server = createServer(credentials);
  // grpc-js answers UNIMPLEMENTED for the methods left out.
  server.addService(loadProtos().LogicService.service, handlers as grpc.UntypedServiceImplementation);
  const port = await serve(server, '127.0.0.1:0', credentials);
  const registry = new MemoryRegistry({ logger });
  const registration = await registry.register({ id: 'logic-test', service: 'logic', addrs: { grpc: `127.0.0.1:${port}` } });
  const pool = new LogicPool(registry, credentials, 2000, logger, new Metrics().grpc.client);
  await pool.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await registration.close();
    server.forceShutdown();
  };
  t.after(async () => {
    await pool.close();
    await registry.close();
    await stop();
    await shutdown(server, 0);
  });
  return { pool, stop };
}

export interface SessionFixture {
  session: Session;
  transport: FakeTransport;
  hub: Hub;
  /** Feeds the session one client packet. */
  send(op: number, body?: string, seq?: number): void;
}

export interface SessionOptions {
  /** The hub's chat re-sends (started when the schedule is not empty); none by default. */
  resend?: ResendPolicy;
  /** Chat ops of the connection queued or in flight before its socket is paused, and per call to logic. */
  chat?: { maxPending: number; maxBatch: number };
  /** The connection's operation budget; generous by default. */
  opLimit?: OpLimit;
  /** Overrides of the slow-consumer policy. */
  send?: Partial<SendPolicy>;
}

/**
 * A Session on a fake transport, a real hub, and `pool` for logic; reporters are built but not
 * started.
 */
export function sessionFixture(
  t: TestContext,
  pool: LogicPool,
  { resend = { scheduleMs: [], unackedMax: 64 }, chat = { maxPending: 64, maxBatch: 16 }, opLimit = { perSec: 1000, burst: 1000 }, send: policy = {} }: SessionOptions = {},
): SessionFixture {
  const metrics = new Metrics().comet;
  const hub = new Hub(4, new CometStats(metrics), metrics, resend);
  hub.startResends();
  t.after(() => hub.stopResends());
  const gone = new GoneReporter({ logic: pool, serverId: SERVER_ID, flushMs: 1, maxQueued: 100, logger });
  const presence = new PresenceReporter({ hub, logic: pool, serverId: SERVER_ID, aliveFlushMs: 60_000, renewRouteMs: 60_000, renewOnlineMs: 60_000, logger });
  t.after(() => gone.stop());
  const transport = new FakeTransport();
  const session = new Session(transport, {
    serverId: SERVER_ID,
    hub,
    logic: pool,
    presence,
    gone,
    sendPolicy: { highWaterBytes: 1 << 20, queueFrames: 64, queueBytes: 1 << 20, maxDrops: 64, stallMs: 60_000, ...policy },
    chat,
    opLimit,
    handshakeTimeoutMs: 5000,
    logger,
    metrics,
  });
  let nextSeq = 1;
  const send = (op: number, body = '', seq = nextSeq++) => session.onPackets([decodeOne(encodePacket({ op, seq, body }))]);
  return { session, transport, hub, send };
}

function decodeOne(bytes: Buffer): Packet {
  const [packet] = new PacketDecoder(1 << 20).push(bytes);
  if (!packet) throw new Error('not a whole packet');
  return packet;
}
