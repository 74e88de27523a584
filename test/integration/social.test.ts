import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { registerUser } from '../helpers/users.ts';
import { socialScenarios } from '../scenarios/social.ts';

const cleanup = fileCleanup();
let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(cleanup, { comets: 2, jobs: 1 });
});

socialScenarios(() => ({ http: cluster.logics[0]!.http, comets: cluster.comets }));

describe('social API (cluster specifics)', () => {
  it('with Kafka unreachable, changes are stored and answered in bounded time; the lost notice is logged', async () => {
    const cut = await cluster.addLogic({ IM_KAFKA_BROKERS: '127.0.0.1:1' });
    const http = `http://${cut.http}`;
    const [alice, bob] = [await registerUser(http), await registerUser(http)];
    const started = Date.now();
    const res = await fetch(`${http}/api/v1/friends/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: bob.id }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { state: 'requested' });
    assert.ok(Date.now() - started < 5_000, `answered after ${Date.now() - started} ms`);
    const requests = await fetch(`${http}/api/v1/friends/requests`, { headers: { authorization: `Bearer ${bob.token}` } });
    assert.deepEqual(await requests.json(), { from: [alice.id] }, 'stored');
    await cut.process.waitForLog((line) => line.msg === 'system notice not pushed; the change itself is stored' && line.notice === 'friend_request', 40_000);
  });
});
