import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Routing } from '../src/routing.ts';
import { conn, route, sorted, sortedStrings } from './helpers.ts';

/** Builds a routing adapter on a fresh namespace with the given TTL and registers its cleanup on `t`. */
export type MakeRouting = (t: TestContext, opts: { ttlSec: number; reportTtlSec?: number }) => Promise<Routing>;

/** Long enough that nothing expires during a test that does not wait for it. */
const longTtl = 60;
/** Short TTL of the expiry cases. */
const shortTtl = 1;

/** The Routing contract, run against every adapter. */
export function routingContract(name: string, makeRouting: MakeRouting): void {
  describe(`Routing contract: ${name}`, () => {
    // Two comets: alice on both (multi-device), bob and an anonymous viewer on c1, carol on c2.
    const a1 = conn('k-a1', 1, 'c1', 'live://1');
    const a2 = conn('k-a2', 1, 'c2', 'live://2');
    const b1 = conn('k-b1', 2, 'c1', 'live://1');
    const c1 = conn('k-c1', 3, 'c2', 'live://1');
    const anon = conn('k-anon', 0, 'c1', 'live://2');
    const everyone = [a1, a2, b1, c1, anon];

    async function populated(t: TestContext, ttlSec = longTtl): Promise<Routing> {
      const routing = await makeRouting(t, { ttlSec });
      for (const c of everyone) await routing.addConnection(c);
      return routing;
    }

    it('resolves keys, users and room comets exactly', async (t) => {
      const routing = await populated(t);
      assert.deepEqual(sorted(await routing.routesOfKeys(['k-a1', 'k-c1', 'k-missing'])), [route(a1), route(c1)]);
      assert.deepEqual(sorted(await routing.routesOfUsers([2, 3, 99])), [route(b1), route(c1)]);
      assert.deepEqual(sortedStrings(await routing.serversOfRoom('live://1')), ['c1', 'c2']);
      assert.deepEqual(sortedStrings(await routing.serversOfRoom('live://2')), ['c1', 'c2']);
      assert.deepEqual(await routing.serversOfRoom('live://nobody'), []);
    });

    it('returns every device of a multi-device user, once per key', async (t) => {
      const routing = await populated(t);
      assert.deepEqual(sorted(await routing.routesOfUsers([1, 1])), [route(a1), route(a2)]);
      assert.deepEqual(await routing.routesOfKeys(['k-a2', 'k-a2']), [route(a2)]);
    });

    it('keeps anonymous viewers (mid 0) in rooms but not as a user', async (t) => {
      const routing = await populated(t);
      assert.deepEqual(await routing.routesOfUsers([0]), []);
      assert.deepEqual(await routing.routesOfKeys(['k-anon']), [route(anon)]);
    });

    it('answers empty questions with empty answers', async (t) => {
      const routing = await makeRouting(t, { ttlSec: longTtl });
      assert.deepEqual(await routing.routesOfKeys([]), []);
      assert.deepEqual(await routing.routesOfUsers([]), []);
      assert.deepEqual(await routing.roomCounts([]), {});
      assert.deepEqual(await routing.liveServers(), []);
      assert.deepEqual(await routing.roomsOfServer('c1'), {});
      await routing.refresh('c1', []);
    });

    it('removes a connection from every table at once', async (t) => {
      const routing = await populated(t);
      assert.equal(await routing.removeConnection(a1), true);
      assert.deepEqual(await routing.routesOfKeys(['k-a1']), []);
      assert.deepEqual(await routing.routesOfUsers([1]), [route(a2)]);
      assert.equal(await routing.removeConnection(a1), false, 'a second removal finds nothing');
    });

    it('removes a connection exactly even when the caller names a stale room and comet', async (t) => {
      const routing = await populated(t);
      await routing.changeRoom({ ...b1, room: 'live://3' });
      assert.equal(await routing.removeConnection({ ...b1, server: 'c9' }), true);
      assert.deepEqual(await routing.routesOfKeys(['k-b1']), []);
      assert.deepEqual(await routing.routesOfUsers([2]), [], 'the stored record wins');
    });

    it('lists the comet of the new room on changeRoom, into and out of no room, keeping the routes', async (t) => {
      const routing = await populated(t);
      const moved = { ...c1, room: 'live://3' };
      await routing.changeRoom(moved);
      assert.deepEqual(await routing.serversOfRoom('live://3'), ['c2']);
      assert.deepEqual(await routing.routesOfUsers([3]), [route(c1)], 'the user route is unchanged');

      await routing.changeRoom({ ...moved, room: '' });
      assert.deepEqual(await routing.routesOfKeys(['k-c1']), [route(c1)], 'still connected, in no room');

      await routing.changeRoom({ ...moved, room: 'live://4' });
      assert.deepEqual(await routing.serversOfRoom('live://4'), ['c2']);
      assert.deepEqual(await routing.routesOfKeys(['k-c1']), [route(c1)]);
    });

    it('replaces the user route of a key whose record changed', async (t) => {
      const routing = await populated(t);
      const elsewhere = { ...b1, server: 'c2', room: 'live://3' };
      await routing.changeRoom(elsewhere);
      assert.deepEqual(await routing.routesOfUsers([2]), [route(elsewhere)]);
      assert.deepEqual(await routing.routesOfKeys(['k-b1']), [route(elsewhere)]);
    });

    it('sums room counts over comets and returns every room with members', async (t) => {
      const routing = await makeRouting(t, { ttlSec: longTtl });
      assert.deepEqual(await routing.renewOnline('c1', { 'live://1': 2, 'live://2': 1 }), { 'live://1': 2, 'live://2': 1 });
      assert.deepEqual(await routing.renewOnline('c2', { 'live://1': 1, 'live://2': 1, 'live://0': 0 }), {
        'live://1': 3,
        'live://2': 2,
      });
      assert.deepEqual(await routing.roomCounts(['live://1', 'live://2', 'live://9']), { 'live://1': 3, 'live://2': 2, 'live://9': 0 });
      assert.deepEqual(await routing.roomsOfServer('c2'), { 'live://1': 1, 'live://2': 1 });
      assert.deepEqual(sortedStrings(await routing.liveServers()), ['c1', 'c2']);
      assert.deepEqual(sortedStrings(await routing.serversOfRoom('live://2')), ['c1', 'c2']);
    });

    it('replaces a comet report wholesale', async (t) => {
      const routing = await makeRouting(t, { ttlSec: longTtl });
      await routing.renewOnline('c1', { 'live://1': 2, 'live://2': 1 });
      assert.deepEqual(await routing.renewOnline('c1', { 'live://1': 5 }), { 'live://1': 5 });
      assert.deepEqual(await routing.roomsOfServer('c1'), { 'live://1': 5 });
      assert.deepEqual(await routing.renewOnline('c1', {}), {});
      assert.deepEqual(await routing.roomsOfServer('c1'), {});
      assert.deepEqual(await routing.liveServers(), ['c1'], 'a comet with no rooms is still live');
    });

    it(`expires everything ${shortTtl} s after the last write`, async (t) => {
      const routing = await populated(t, shortTtl);
      await routing.renewOnline('c1', { 'live://1': 2 });
      assert.equal((await routing.routesOfKeys(['k-a1'])).length, 1);
      await sleep(shortTtl * 1_000 + 300);
      assert.deepEqual(await routing.routesOfKeys(everyone.map((c) => c.key)), []);
      assert.deepEqual(await routing.routesOfUsers([1, 2, 3]), []);
      assert.deepEqual(await routing.serversOfRoom('live://1'), []);
      assert.deepEqual(await routing.liveServers(), []);
      assert.deepEqual(await routing.roomsOfServer('c1'), {});
      assert.deepEqual(await routing.roomCounts(['live://1']), { 'live://1': 0 });
      assert.equal(await routing.removeConnection(a1), false);
    });

    it('keeps refreshed entries alive past the TTL', async (t) => {
      const routing = await populated(t, shortTtl);
      const deadline = Date.now() + shortTtl * 2_500;
      while (Date.now() < deadline) {
        await routing.refresh('c1', [a1, b1, anon]);
        await routing.refresh('c2', [a2, c1]);
        await routing.renewOnline('c1', { 'live://1': 2, 'live://2': 1 });
        await routing.renewOnline('c2', { 'live://1': 1, 'live://2': 1 });
        await sleep((shortTtl * 1_000) / 4);
      }
      assert.deepEqual(sorted(await routing.routesOfKeys(everyone.map((c) => c.key))), sorted(everyone.map(route)));
      assert.deepEqual(sorted(await routing.routesOfUsers([1])), [route(a1), route(a2)]);
      assert.deepEqual(sortedStrings(await routing.serversOfRoom('live://1')), ['c1', 'c2']);
      assert.deepEqual(await routing.roomCounts(['live://1']), { 'live://1': 3 });
    });

    it('lets one connection expire while refreshed ones stay', async (t) => {
      const routing = await populated(t, shortTtl);
      const deadline = Date.now() + shortTtl * 1_000 + 500;
      while (Date.now() < deadline) {
        await routing.refresh('c1', [b1, anon]);
        await routing.refresh('c2', [a2, c1]);
        await sleep((shortTtl * 1_000) / 4);
      }
      assert.deepEqual(await routing.routesOfKeys(['k-a1']), []);
      assert.deepEqual(await routing.routesOfUsers([1]), [route(a2)]);
    });

    it('drops a comet that stops reporting from live servers and counts', async (t) => {
      const routing = await makeRouting(t, { ttlSec: shortTtl });
      await routing.renewOnline('c2', { 'live://1': 4 });
      const deadline = Date.now() + shortTtl * 1_000 + 500;
      let counts: Record<string, number> = {};
      while (Date.now() < deadline) {
        counts = await routing.renewOnline('c1', { 'live://1': 1 });
        await sleep((shortTtl * 1_000) / 4);
      }
      assert.deepEqual(await routing.liveServers(), ['c1']);
      assert.deepEqual(counts, { 'live://1': 1 });
      assert.deepEqual(await routing.serversOfRoom('live://1'), ['c1']);
    });

    it('drops a silent comet from the counts after the report TTL while routes keep the longer TTL', async (t) => {
      const routing = await makeRouting(t, { ttlSec: longTtl, reportTtlSec: shortTtl });
      await routing.addConnection(c1);
      await routing.renewOnline('c2', { 'live://1': 1 });
      assert.deepEqual(await routing.roomCounts(['live://1']), { 'live://1': 1 });
      await sleep(shortTtl * 1_000 + 300);
      assert.deepEqual(await routing.liveServers(), []);
      assert.deepEqual(await routing.renewOnline('c1', {}), {});
      assert.deepEqual(await routing.routesOfKeys(['k-c1']), [route(c1)], 'the route itself is still there');
    });

    it('applies calls in the order they were made, even a big refresh not awaited', async (t) => {
      const routing = await populated(t);
      const crowd = Array.from({ length: 5_000 }, (_, i) => conn(`k-crowd-${i}`, 10_000 + i, 'c1', 'live://1'));
      // b1 last: with a refresh split into several round trips it would be re-added after the removal.
      const refreshed = routing.refresh('c1', [...crowd, b1]);
      const removed = routing.removeConnection(b1);
      await Promise.all([refreshed, removed]);
      assert.deepEqual(await routing.routesOfKeys(['k-b1']), []);
      assert.deepEqual(await routing.routesOfUsers([2]), []);
    });

    it('refreshes thousands of connections in one call', async (t) => {
      const routing = await makeRouting(t, { ttlSec: longTtl });
      const many = Array.from({ length: 5_000 }, (_, i) => conn(`k-${i}`, 1_000 + (i % 2_000), 'c1', `live://${i % 7}`));
      await routing.refresh('c1', many);
      assert.equal((await routing.routesOfKeys(many.map((c) => c.key))).length, 5_000);
      assert.equal((await routing.routesOfUsers([1_000])).length, 3);
      assert.deepEqual(await routing.serversOfRoom('live://0'), ['c1']);
      assert.deepEqual(await routing.serversOfRoom('live://6'), ['c1']);
    });
  });
}
