import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { ChatClient, directConv } from '../helpers/chat.ts';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { registerUser } from '../helpers/users.ts';

// Issue 9.1: pipelined sends from one connection could get seqs out of the order they were sent in
// once two logic instances served the comet (each unary call raced the others).
const cleanup = fileCleanup();
let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(cleanup, { logics: 2, comets: 2, jobs: 2 });
});

const PER_CONNECTION = 5_000;

it('pipelined sends from each connection get increasing seqs in the order they were sent, through two logics and both comets', async () => {
  const [alice, bob] = [await registerUser(cluster.http), await registerUser(cluster.http)];
  const senders = [
    await ChatClient.connect('ws', cluster.comets[0]!.ws, alice.token),
    await ChatClient.connect('tcp', cluster.comets[1]!.tcp, alice.token),
  ];
  const acked = await Promise.all(senders.map((sender) => sender.pipeline(bob.id, PER_CONNECTION, 100)));
  const conv = directConv(alice.id, bob.id);
  for (const acks of acked) {
    const refused = acks.filter((ack) => ack.code !== 0 || ack.conv !== conv);
    assert.deepEqual(refused.slice(0, 3), [], `every send acknowledged (${refused.length} not)`);
    const outOfOrder = acks.filter((ack, i) => i > 0 && ack.seq! <= acks[i - 1]!.seq!).length;
    assert.equal(outOfOrder, 0, 'seq order == send order on one connection');
  }
  const all = acked.flat().map((ack) => ack.seq!).sort((x, y) => x - y);
  assert.deepEqual(all, Array.from({ length: 2 * PER_CONNECTION }, (_, i) => i + 1), 'gap-free and each message once');
  for (const sender of senders) sender.close();
});
