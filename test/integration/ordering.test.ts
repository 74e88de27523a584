import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { TestClient } from '../helpers/client.ts';
import { post } from '../helpers/push.ts';
import { registerUser } from '../helpers/users.ts';

const hooks = fileCleanup();
let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(hooks, { comets: 2, jobs: 2 });
});

const STREAMS = 20;
const PER_STREAM = 500; // 10,000 pushes in all

/** Each stream sends its pushes one after the other: the order they were accepted in is known. */
async function stream(send: (n: number) => Promise<{ status: number }>): Promise<void> {
  for (let n = 0; n < PER_STREAM; n++) {
    const res = await send(n);
    assert.equal(res.status, 200);
  }
}

it('per-user and per-room order holds over 10,000 pushes spread over two jobs and two comets', async () => {
  const half = STREAMS / 2;
  const users = await Promise.all(Array.from({ length: half }, () => registerUser(cluster.http)));
  const userClients = await Promise.all(
    users.map(async (user, i) => {
      const client = await TestClient.connect(i % 2 ? 'tcp' : 'ws', cluster.comets[i % 2]![i % 2 ? 'tcp' : 'ws']);
      assert.equal((await client.auth({ room_id: '', accepts: [1000], token: user.token })).code, 0);
      return client;
    }),
  );
  const rooms = Array.from({ length: half }, (_, i) => `${Date.now()}${i}`);
  const roomClients = await Promise.all(
    rooms.map(async (room, i) => {
      const client = await TestClient.connect(i % 2 ? 'ws' : 'tcp', cluster.comets[(i + 1) % 2]![i % 2 ? 'ws' : 'tcp']);
      assert.equal((await client.auth({ room_id: `live://${room}`, accepts: [1000], token: users[i]!.token })).code, 0);
      return client;
    }),
  );

  await Promise.all([
    ...users.map((user, i) => stream((n) => post(`${cluster.http}/goim/push/mids?operation=1000&mids=${user.id}`, `u${i}:${n}`))),
    ...rooms.map((room, i) => stream((n) => post(`${cluster.http}/goim/push/room?operation=1000&type=live&room=${room}`, `r${i}:${n}`))),
  ]);

  // A user stream reaches the user's own device, and that device is also a member of a room stream.
  for (const [i, client] of userClients.entries()) {
    await client.waitForMessages(PER_STREAM, 60_000);
    const mine = client.messages.filter((m) => m.body.toString().startsWith(`u${i}:`));
    assert.deepEqual(mine.map((m) => Number(m.body.toString().split(':')[1])), Array.from({ length: PER_STREAM }, (_, n) => n), `user ${i} in order`);
  }
  for (const [i, client] of roomClients.entries()) {
    await client.waitForMessages(2 * PER_STREAM, 60_000);
    const room = client.messages.filter((m) => m.body.toString().startsWith(`r${i}:`));
    assert.deepEqual(room.map((m) => Number(m.body.toString().split(':')[1])), Array.from({ length: PER_STREAM }, (_, n) => n), `room ${i} in order`);
  }
});
