import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { createLogger, ImError } from '@imcluster/common';
import { Metrics } from '@imcluster/metrics';
import { createServer, loadProtos, serve, shutdown, toGrpcStatus } from '@imcluster/proto';
import { decodePackets, Op, type Packet } from '@imcluster/protocol';
import { MemoryRegistry } from '@imcluster/registry';
import { GoneReporter } from '../src/gone_reporter.ts';
import { Hub } from '../src/hub.ts';
import { LogicPool } from '../src/logic_pool.ts';
import { PresenceReporter } from '../src/presence_reporter.ts';
import { Session } from '../src/session.ts';
import { CometStats } from '../src/stats.ts';
import type { Transport } from '../src/transport.ts';
import { credentials } from './helpers.ts';

const logger = createLogger('session-errors-test', process.env.IM_LOG_LEVEL ?? 'silent');
const FORBIDDEN_ROOM = 'vip://1';

/** A logic that accepts every auth as user 7 and refuses FORBIDDEN_ROOM, as logic's Connections does. */
async function startLogic(t: TestContext, registry: MemoryRegistry): Promise<{ stop(): Promise<void> }> {
  const server = createServer(credentials);
  server.addService(loadProtos().LogicService.service, {
    Connect(_call: unknown, callback: grpc.sendUnaryData<object>) {
      callback(null, { code: 0, mid: 7, key: 'key-7', room: '', heartbeatSec: 30, dialect: 'goim' });
    },
    ChangeRoom(call: grpc.ServerUnaryCall<{ room: string }, object>, callback: grpc.sendUnaryData<object>) {
      if (call.request.room === FORBIDDEN_ROOM) callback(toGrpcStatus(new ImError('FORBIDDEN', 'anonymous viewers may not join this room')));
      else callback(null, {});
    },
    // Takes the batch and never answers: a logic that stalls after receiving it.
    Chat() {},
  });
  const port = await serve(server, '127.0.0.1:0', credentials);
  await registry.register({ id: 'logic-1', service: 'logic', addrs: { grpc: `127.0.0.1:${port}` } });
  const stop = () => shutdown(server, 100);
  t.after(stop);
  return { stop };
}

/** A TCP-like transport that records what the session writes and how it closes. */
class RecordingTransport implements Transport {
  readonly kind = 'tcp';
  readonly remoteAddress = '127.0.0.1';
  readonly remote = '127.0.0.1:1';
  readonly packets: Packet[] = [];
  closedWith?: number;

  write(bytes: Buffer): void {
    this.packets.push(...decodePackets(bytes, 1 << 20));
  }
  buffered(): number {
    return 0;
  }
  onDrain(): void {}
  pause(): void {}
  resume(): void {}
  close(code: number): void {
    this.closedWith = code;
  }
  destroy(): void {}

  async reply(op: number, seq: number): Promise<Record<string, unknown>> {
    for (let waited = 0; waited < 5000; waited += 10) {
      const packet = this.packets.find((p) => p.op === op && p.seq === seq);
      if (packet) return JSON.parse(packet.body.toString()) as Record<string, unknown>;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no op ${op} with seq ${seq}`);
  }
}

async function comet(t: TestContext) {
  const registry = new MemoryRegistry({ logger });
  const metrics = new Metrics();
  const logic = new LogicPool(registry, credentials, 1000, logger, metrics.grpc.client);
  await logic.start();
  t.after(() => logic.close());
  const hub = new Hub(1, new CometStats(metrics.comet), metrics.comet, { scheduleMs: [60_000], unackedMax: 16 });
  const deps = {
    serverId: 'comet-1',
    hub,
    logic,
    presence: new PresenceReporter({ hub, logic, serverId: 'comet-1', aliveFlushMs: 60_000, renewRouteMs: 60_000, renewOnlineMs: 60_000, logger }),
    gone: new GoneReporter({ logic, serverId: 'comet-1', flushMs: 60_000, maxQueued: 10, logger }),
    sendPolicy: { highWaterBytes: 1 << 20, queueFrames: 64, queueBytes: 1 << 20, maxDrops: 64, stallMs: 60_000 },
    chat: { maxPending: 8, maxBatch: 4 },
    opLimit: { perSec: 1000, burst: 1000 },
    handshakeTimeoutMs: 5000,
    logger,
    metrics: metrics.comet,
  };
  return { registry, open: (transport: Transport) => new Session(transport, deps) };
}

const packet = (op: number, seq: number, body: string): Packet => ({ ver: 1, op, seq, body: Buffer.from(body) });

test('a room change logic refuses is answered 3508; one it cannot take (logic unreachable) 3004, and the connection stays', async (t) => {
  const { registry, open } = await comet(t);
  const logic = await startLogic(t, registry);
  const transport = new RecordingTransport();
  const session = open(transport);
  session.onPackets([packet(Op.Auth, 1, '{"token":"t"}')]);
  assert.equal((await transport.reply(Op.AuthReply, 1)).code, 0);

  session.onPackets([packet(Op.ChangeRoom, 2, 'live://1')]);
  assert.deepEqual(await transport.reply(Op.ChangeRoomReply, 2), { code: 0, room: 'live://1' });
  session.onPackets([packet(Op.ChangeRoom, 3, FORBIDDEN_ROOM)]);
  assert.deepEqual(await transport.reply(Op.ChangeRoomReply, 3), { code: 3508, message: 'anonymous viewers may not join this room' });

  await logic.stop();
  session.onPackets([packet(Op.ChangeRoom, 4, 'live://2')]);
  const unreachable = await transport.reply(Op.ChangeRoomReply, 4);
  assert.equal(unreachable.code, 3004, 'logic unreachable is not a refusal');
  session.onPackets([packet(Op.SendMsg, 5, '{"client_msg_id":"c1","to":{"type":"user","id":8},"payload":"hi"}')]);
  assert.equal((await transport.reply(Op.SendMsgReply, 5)).code, 4503, 'a send that reached no logic: retry');
  assert.equal(transport.closedWith, undefined, 'the connection stays open');
  session.onPackets([packet(Op.Heartbeat, 6, '')]);
  assert.ok(transport.packets.some((p) => p.op === Op.HeartbeatReply && p.seq === 6));
});

test('auth with no logic reachable is answered 3004 (reconnect later), then closed with it', async (t) => {
  const { open } = await comet(t);
  const transport = new RecordingTransport();
  open(transport).onPackets([packet(Op.Auth, 1, '{"token":"t"}')]);
  assert.equal((await transport.reply(Op.AuthReply, 1)).code, 3004);
  assert.equal(transport.closedWith, 3004);
});

test('a send that reached logic but got no answer in time is answered 4504 (outcome unknown), not 4503', async (t) => {
  const { registry, open } = await comet(t);
  await startLogic(t, registry);
  const transport = new RecordingTransport();
  const session = open(transport);
  session.onPackets([packet(Op.Auth, 1, '{"token":"t"}')]);
  assert.equal((await transport.reply(Op.AuthReply, 1)).code, 0);
  session.onPackets([packet(Op.SendMsg, 2, '{"client_msg_id":"c1","to":{"type":"user","id":8},"payload":"hi"}')]);
  const reply = await transport.reply(Op.SendMsgReply, 2);
  assert.equal(reply.code, 4504, 'it may have been stored: retry with the same id');
  assert.equal(reply.client_msg_id, 'c1');
  assert.equal(transport.closedWith, undefined, 'the connection stays open');
});
