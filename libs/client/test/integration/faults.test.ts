import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fileCleanup } from '../../../../test/helpers/cleanup.ts';
import { TestCluster } from '../../../../test/helpers/cluster.ts';
import { directConversation, type ChatMessage, type ImClient, type SendAck } from '../../src/node.ts';
import { client, inConv, newUser, record, waitFor, type Servers } from './helpers.ts';

// Two users each send a pipelined stream of PER_SIDE messages to the other, in one conversation,
// while a process dies under them. What the apps see is counted against what the server acked.
const PER_SIDE = 2000;
const cleanup = fileCleanup();
let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(cleanup, { comets: 3, logics: 2, jobs: 2, env: { IM_CHAT_RESEND_SCHEDULE_MS: '1000,2000,3000,5000' } });
});

const servers = (comets = cluster.comets.filter((c) => c.process.alive)): Servers => ({ http: cluster.http, ws: comets.map((c) => c.ws), tcp: comets.map((c) => c.tcp) });

interface Audit {
  lost: number;
  duplicates: number;
  reorders: number;
}

/** What one app saw of a conversation, against every seq the server acknowledged in it. */
function audit(seen: ChatMessage[], acked: number[]): Audit {
  const distinct = new Set(seen.map((m) => m.seq));
  return {
    lost: acked.filter((seq) => !distinct.has(seq)).length,
    duplicates: seen.length - distinct.size,
    reorders: seen.filter((m, i) => m.seq !== (i === 0 ? 1 : seen[i - 1]!.seq + 1)).length,
  };
}

/** Sends whose acks came back with a lower seq than an earlier send's: the sender's order broken. */
function sendOrderInversions(acks: SendAck[]): number {
  return acks.filter((ack, i) => i > 0 && ack.seq < acks[i - 1]!.seq).length;
}

function stream(from: ImClient, to: number, label: string): Promise<SendAck[]> {
  return Promise.all(Array.from({ length: PER_SIDE }, (_, i) => from.chat.send({ type: 'user', id: to }, `${label}${i}`)));
}

const pipelined = { chat: { maxInFlight: 16, maxOutbox: PER_SIDE }, heartbeatMs: 2000 };

/**
 * Alice (on every comet's list) and Bob stream at each other; `fault` runs once Alice has a
 * quarter of her acks. Returns the audit of both apps and the acks in send order.
 */
async function crossStreams(fault: (alice: ImClient) => Promise<void> | void) {
  const [alice, bob] = [await newUser(servers()), await newUser(servers())];
  const a = client(cleanup, servers(), { token: alice.token, ...pipelined });
  const ea = record(a);
  const { url } = await a.connect();
  // Bob stays away from Alice's comet, so the fault hits her side only.
  const b = client(cleanup, servers(cluster.comets.filter((c) => url !== `ws://${c.ws}/sub`)), { token: bob.token, transport: 'tcp', ...pipelined });
  const eb = record(b);
  await b.connect();

  let faulted: Promise<void> | undefined;
  a.on('sent', () => {
    if (ea.sent.length === PER_SIDE / 4) faulted ??= Promise.resolve(fault(a));
  });
  const [acksA, acksB] = await Promise.all([stream(a, bob.id, 'a'), stream(b, alice.id, 'b')]);
  await faulted;
  const conv = directConversation(alice.id, bob.id);
  const acked = [...acksA, ...acksB].map((ack) => ack.seq);
  for (const events of [ea, eb]) await waitFor(() => new Set(inConv(events.message, conv).map((m) => m.seq)).size >= 2 * PER_SIDE, 'every message at both apps', 120_000).catch(() => undefined);
  const stored = (await b.chat.history(conv, { limit: 1 })).lastSeq;
  const result = { alice: audit(inConv(ea.message, conv), acked), bob: audit(inConv(eb.message, conv), acked), acked, stored, acksA, acksB, ea };
  console.log(`counts: ${JSON.stringify({ alice: result.alice, bob: result.bob, sends: acked.length, distinctAcks: new Set(acked).size, stored, reconnects: ea.connected.length - 1, sendOrderInversions: sendOrderInversions(acksA) + sendOrderInversions(acksB) })}`);
  a.close();
  b.close();
  return result;
}

function assertExactlyOnce(result: Awaited<ReturnType<typeof crossStreams>>): void {
  assert.equal(result.acked.length, 2 * PER_SIDE, 'every send resolved');
  assert.equal(new Set(result.acked).size, 2 * PER_SIDE, 'one seq per send');
  assert.equal(result.stored, 2 * PER_SIDE, 'no duplicate stored');
  assert.deepEqual(result.alice, { lost: 0, duplicates: 0, reorders: 0 });
  assert.deepEqual(result.bob, { lost: 0, duplicates: 0, reorders: 0 });
}

describe(`${PER_SIDE} pipelined messages each way under faults`, { timeout: 900_000 }, () => {
  let killedComet: Awaited<ReturnType<typeof crossStreams>> | undefined;
  let killedJob: Awaited<ReturnType<typeof crossStreams>> | undefined;

  it('SIGKILL of the sender\u2019s comet: lost 0, app-visible duplicates 0, reorders 0, every send resolves', async () => {
    killedComet = await crossStreams((a) => {
      const victim = cluster.comets.find((c) => a.session?.url === `ws://${c.ws}/sub`)!;
      victim.process.kill('SIGKILL');
    });
    assertExactlyOnce(killedComet);
    const urls = killedComet.ea.connected.map((c) => c.url);
    assert.ok(urls.length >= 2 && urls.at(-1) !== urls[0], `reconnected elsewhere: ${urls.join(', ')}`);
  });

  it('SIGKILL of a job mid-stream: lost 0, app-visible duplicates 0, reorders 0, every send resolves', async () => {
    killedJob = await crossStreams(() => cluster.jobs[0]!.kill('SIGKILL'));
    assertExactlyOnce(killedJob);
  });

  it('keeps each sender\u2019s order in seq order with pipelined sends, through the faults', () => {
    for (const result of [killedComet, killedJob]) {
      assert.ok(result);
      assert.equal(sendOrderInversions(result.acksA) + sendOrderInversions(result.acksB), 0);
    }
  });
});
