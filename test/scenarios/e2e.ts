import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Op } from '@imcluster/protocol';
import { TestClient } from '../helpers/client.ts';
import { eventually } from '../helpers/processes.ts';
import { get, post } from '../helpers/push.ts';
import { registerUser } from '../helpers/users.ts';

/** What a scenario needs of a deployment: the HTTP API and the comets clients connect to. */
export interface Target {
  http: string;
  comets: { ws: string; tcp: string }[];
}

/**
 * The end-to-end scenarios every deployment must pass, run against a cluster of processes and
 * against a standalone node: auth in both dialects, heartbeat counts, pushes to keys, users,
 * rooms and all, and room batching.
 */
export function e2eScenarios(target: () => Target): void {
  const comet = (i: number) => target().comets[i % target().comets.length]!;
  const http = () => `http://${target().http}`;

  describe('end-to-end scenarios', () => {
    it('authenticates both dialects on both transports', async () => {
      const user = await registerUser(http());
      for (const kind of ['ws', 'tcp'] as const) {
        const goim = await TestClient.connect(kind, comet(0)[kind]);
        assert.equal((await goim.auth({ room_id: 'live://e2e', accepts: [1000], token: user.token })).code, 0);
        const bili = await TestClient.connect(kind, comet(1)[kind]);
        assert.equal((await bili.auth({ uid: user.id, roomid: 4242, protover: 2, key: user.token })).code, 0);
        goim.close();
        bili.close();
      }
    });

    it('heartbeat replies carry the room count as members join and leave', async () => {
      const room = `live://hb${Date.now()}`;
      const user = await registerUser(http());
      const a = await TestClient.ws(comet(0).ws);
      await a.auth({ room_id: room, token: user.token });
      const b = await TestClient.tcp(comet(1).tcp);
      await b.auth({ room_id: room, token: user.token });
      await eventually(async () => (await a.heartbeat()) === 2, 'count 2', 10_000, 150);
      b.close();
      await eventually(async () => (await a.heartbeat()) === 1, 'count 1', 10_000, 150);
      a.close();
    });

    it('pushes to keys, users, rooms and all arrive where they should', async () => {
      const [alice, bob] = [await registerUser(http()), await registerUser(http())];
      const room = `${Date.now()}`;
      const a = await TestClient.ws(comet(0).ws);
      const keyA = (await a.auth({ room_id: `live://${room}`, accepts: [1000, 1001, 1002, 1003], token: alice.token })).key!;
      const b = await TestClient.tcp(comet(1).tcp);
      await b.auth({ room_id: `live://${room}`, accepts: [1000, 1001, 1002, 1003], token: bob.token });

      assert.equal((await post(`${http()}/goim/push/keys?operation=1000&keys=${keyA}`, 'to key')).status, 200);
      assert.equal((await post(`${http()}/goim/push/mids?operation=1001&mids=${bob.id}`, 'to bob')).status, 200);
      assert.equal((await post(`${http()}/goim/push/room?operation=1002&type=live&room=${room}`, 'to room')).status, 200);
      assert.equal((await post(`${http()}/goim/push/all?operation=1003`, 'to all')).status, 200);

      await a.waitForMessages(3);
      await b.waitForMessages(3);
      const text = (c: TestClient) => c.messages.map((m) => `${m.op}:${m.body}`).sort();
      assert.deepEqual(text(a), ['1000:to key', '1002:to room', '1003:to all']);
      assert.deepEqual(text(b), ['1001:to bob', '1002:to room', '1003:to all']);
      // On the wire: the room push inside an op-9 batch, the others as single packets.
      const single = (c: TestClient) => c.received.filter((p) => p.op >= 1000).map((p) => `${p.op}:${p.body}`).sort();
      assert.deepEqual(single(a), ['1000:to key', '1003:to all']);
      assert.deepEqual(single(b), ['1001:to bob', '1003:to all']);
      assert.ok([a, b].every((c) => c.received.some((p) => p.op === Op.Raw)), 'the room push came in an op-9 batch');
      a.close();
      b.close();
    });

    it('merges a burst of room pushes into op-9 batches, in order', async () => {
      const room = `${Date.now()}`;
      const user = await registerUser(http());
      const client = await TestClient.tcp(comet(0).tcp);
      await client.auth({ room_id: `live://${room}`, token: user.token });
      const burst = 50;
      await Promise.all(Array.from({ length: burst }, (_, i) => post(`${http()}/goim/push/room?operation=1000&type=live&room=${room}`, `b${i}`)));
      await client.waitForMessages(burst);
      const batches = client.received.filter((p) => p.op === Op.Raw);
      assert.ok(batches.length < burst, `${burst} pushes arrived in ${batches.length} batches`);
      assert.equal(new Set(client.messages.map((m) => m.body.toString())).size, burst);
      const online = await get(`${http()}/goim/online/total`);
      assert.ok((online.body.data as { conn_count: number }).conn_count >= 1);
      client.close();
    });
  });
}
