import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { ChatClient, directConv } from '../helpers/chat.ts';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { registerUser } from '../helpers/users.ts';

// Issue 9.5: a SIGKILLed comet made jobs fail and redeliver whole Kafka batches until its lease
// expired, so receivers on the surviving comet got the same messages again and again.
const cleanup = fileCleanup();
let cluster: TestCluster;

before(async () => {
  // Re-sends are pushed back far so that every duplicate on the wire comes from the job.
  cluster = await TestCluster.start(cleanup, { logics: 2, comets: 2, jobs: 2, env: { IM_REGISTRY_TTL_SEC: '8', IM_CHAT_RESEND_SCHEDULE_MS: '60000' } });
});

const PAIRS = 8;
const PER_SENDER = 60;

it('after a comet is SIGKILLed, receivers on the surviving comet get (almost) no message twice', async () => {
  const [survivor, victim] = [cluster.comets[0]!, cluster.comets[1]!];
  const pairs = await Promise.all(
    Array.from({ length: PAIRS }, async () => {
      const [alice, bob] = [await registerUser(cluster.http), await registerUser(cluster.http)];
      const sender = await ChatClient.connect('ws', survivor.ws, alice.token);
      const receiver = await ChatClient.connect('tcp', survivor.tcp, bob.token);
      // Bob's second device sits on the comet that dies: batches carry pushes for both comets.
      await ChatClient.connect('ws', victim.ws, bob.token);
      return { sender, receiver, to: bob.id, conv: directConv(alice.id, bob.id) };
    }),
  );

  await Promise.all(
    pairs.map(async ({ sender, to }, index) => {
      for (let i = 0; i < PER_SENDER; i++) {
        if (index === 0 && i === PER_SENDER / 3) victim.process.kill('SIGKILL');
        assert.equal((await sender.send(to, `m${i}`)).code, 0);
      }
    }),
  );
  let frames = 0;
  let distinct = 0;
  for (const { receiver, conv } of pairs) {
    const got = await receiver.waitDelivered(conv, PER_SENDER, 30_000);
    frames += got.length;
    distinct += new Set(got.map((m) => m.seq)).size;
  }
  assert.equal(distinct, PAIRS * PER_SENDER, 'every acknowledged message reached the surviving device');
  const duplicates = frames - distinct;
  assert.ok(duplicates < 0.05 * distinct, `wire duplicates ${duplicates} of ${distinct} messages (limit 5%)`);
  for (const { sender, receiver } of pairs) {
    sender.close();
    receiver.close();
  }
});
