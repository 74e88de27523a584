import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { ChatClient, directConv, range, type ChatView } from '../helpers/chat.ts';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { registerUser } from '../helpers/users.ts';

const cleanup = fileCleanup();
let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(cleanup, { comets: 3, jobs: 2, env: { IM_CHAT_RESEND_SCHEDULE_MS: '1000,2000,3000,5000' } });
});

/** What a client app would show: messages by seq, each once. */
function bySeq(messages: ChatView[]): number[] {
  return [...new Set(messages.map((m) => m.seq))].sort((x, y) => x - y);
}

/** The highest seq held with none missing below it: what a client acknowledges. */
function contiguous(seqs: number[]): number {
  let n = 0;
  while (seqs.includes(n + 1)) n++;
  return n;
}

async function stream(from: ChatClient, to: number, count: number, onHalf: () => void): Promise<number[]> {
  const acked: number[] = [];
  for (let i = 0; i < count; i++) {
    if (i === count / 2) onHalf();
    const ack = await from.send(to, `s${i}`);
    assert.equal(ack.code, 0);
    acked.push(ack.seq!);
  }
  return acked;
}

it('SIGKILL of a job mid-stream: every acknowledged message reaches the receiver, in order after seq filtering', async () => {
  const [alice, bob] = [await registerUser(cluster.http), await registerUser(cluster.http)];
  const a = await ChatClient.connect('ws', cluster.comets[0]!.ws, alice.token);
  const b = await ChatClient.connect('tcp', cluster.comets[1]!.tcp, bob.token);
  const conv = directConv(alice.id, bob.id);
  const acked = await stream(a, bob.id, 300, () => cluster.jobs[0]!.kill('SIGKILL'));
  assert.deepEqual(acked, range(300));
  const got = await b.waitDelivered(conv, 300, 60_000);
  assert.deepEqual(bySeq(got), range(300), 'nothing acknowledged was lost; no duplicate after filtering by seq');
  b.ack(conv, 300);
  a.close();
  b.close();
});

it('SIGKILL of the receiver\u2019s comet mid-stream: after reconnecting elsewhere and syncing, the receiver has everything', async () => {
  const [alice, bob] = [await registerUser(cluster.http), await registerUser(cluster.http)];
  const a = await ChatClient.connect('tcp', cluster.comets[0]!.tcp, alice.token);
  const victim = cluster.comets[2]!;
  const b = await ChatClient.connect('ws', victim.ws, bob.token);
  const conv = directConv(alice.id, bob.id);
  const acked = await stream(a, bob.id, 300, () => victim.process.kill('SIGKILL'));
  assert.deepEqual(acked, range(300));
  await b.client.closed;

  const seen = b.delivered(conv);
  const resumeAfter = contiguous(bySeq(seen));
  const again = await ChatClient.connect('ws', cluster.comets[1]!.ws, bob.token);
  const synced = await again.syncAll(conv, resumeAfter);
  const app = bySeq([...seen, ...synced, ...again.delivered(conv)]);
  assert.deepEqual(app, range(300), 'delivered before the crash plus synced after it is everything, once');
  assert.deepEqual(synced.map((m) => m.seq), range(300 - resumeAfter).map((n) => n + resumeAfter), 'sync returns the rest in order');
  a.close();
  again.close();
});
