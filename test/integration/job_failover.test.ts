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

it('SIGKILL of one job while pushes flow: every push accepted after the kill is still delivered', async () => {
  const users = await Promise.all([1, 2, 3, 4].map(() => registerUser(cluster.http)));
  const clients = await Promise.all(
    users.map(async (user, i) => {
      const client = await TestClient.connect(i % 2 ? 'tcp' : 'ws', cluster.comets[i % 2]![i % 2 ? 'tcp' : 'ws']);
      assert.equal((await client.auth({ room_id: 'live://failover', accepts: [1000], token: user.token })).code, 0);
      return client;
    }),
  );
  const accepted = new Map<number, string[]>(users.map((u) => [u.id, []]));
  const acceptedRoom: string[] = [];
  let killed = false;
  const afterKill = { user: 0, room: 0 };

  const pushFor = async (durationMs: number) => {
    const end = Date.now() + durationMs;
    for (let n = 0; Date.now() < end; n++) {
      const user = users[n % users.length]!;
      const text = `m${n}`;
      const res = await post(`${cluster.http}/goim/push/mids?operation=1000&mids=${user.id}`, text);
      if (res.status === 200) {
        accepted.get(user.id)!.push(text);
        if (killed) afterKill.user++;
      }
      const roomText = `r${n}`;
      if ((await post(`${cluster.http}/goim/push/room?operation=1000&type=live&room=failover`, roomText)).status === 200) {
        acceptedRoom.push(roomText);
        if (killed) afterKill.room++;
      }
    }
  };

  const flowing = pushFor(6000);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  cluster.jobs[0]!.kill('SIGKILL');
  killed = true;
  await flowing;
  assert.ok(afterKill.user > 20 && afterKill.room > 20, 'pushes were accepted after the kill');

  // The surviving job takes over the dead one's partitions after the group notices (session timeout).
  for (const [i, client] of clients.entries()) {
    const expected = accepted.get(users[i]!.id)!;
    const deadline = Date.now() + 60_000;
    const got = () => new Set(client.messages.map((m) => m.body.toString()));
    while ([...expected, ...acceptedRoom].some((t) => !got().has(t)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const missing = [...expected, ...acceptedRoom].filter((t) => !got().has(t));
    assert.deepEqual(missing, [], `client ${i} lost nothing that was accepted`);
  }
});
