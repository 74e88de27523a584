import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Metrics } from '@imcluster/metrics';
import { unpackBatch } from '@imcluster/protocol';
import type { Channel } from '../src/channel.ts';
import { ROOM_PENDING_LIMIT, RoomFanout, type RoomBatchPolicy } from '../src/room_fanout.ts';
import { waitFor } from './helpers.ts';

/** A room member that only records the message bodies of each frame it was given. */
interface Member {
  frames: string[][];
}

function member(): Member {
  return { frames: [] };
}

/** A fan-out over in-memory members of one or more rooms, goim TCP receivers. */
function fanout(t: TestContext, policy: RoomBatchPolicy, rooms: Record<string, Member[]>) {
  const asChannel = (m: Member) => Object.assign(m, { identity: { dialect: 'goim', protover: 1 }, transport: { kind: 'tcp' } }) as unknown as Channel;
  const rf = new RoomFanout({
    policy,
    members: (room) => [(rooms[room] ?? []).map(asChannel)[Symbol.iterator]()],
    deliver: (channel, frame) => {
      const m = channel as unknown as Member;
      // A frame is one op-9 packet: header 16 bytes, then the batch of op-1000 packets.
      m.frames.push(unpackBatch(frame.subarray(16), 1 << 20).map((p) => p.body.toString()));
    },
    written: new Metrics().comet.roomAgeSeconds.written,
  });
  t.after(() => rf.stop());
  const send = (room: string, ...bodies: string[]) => {
    let queued = false;
    rf.enqueue(room, bodies.map((b) => ({ op: 1000, body: Buffer.from(b) })), [], () => (queued = true));
    return () => queued;
  };
  return { rf, send };
}

const IMMEDIATE: RoomBatchPolicy = { budgetMs: 0, max: 100, idleLoad: 1 };

describe('RoomFanout', () => {
  it('writes a quiet room\'s batch to every member at once, one frame each', (t) => {
    const members = [member(), member()];
    const { send } = fanout(t, IMMEDIATE, { r: members });
    const queued = send('r', 'a', 'b');
    assert.equal(queued(), true, 'answered at once');
    for (const m of members) assert.deepEqual(m.frames, [['a', 'b']]);
  });

  it('writes a large room in slices across turns of the event loop, and keeps the room\'s order: later batches share the next frame', async (t) => {
    const members = Array.from({ length: 1500 }, member);
    const { send, rf } = fanout(t, IMMEDIATE, { r: members });
    send('r', '1');
    const inCall = members.filter((m) => m.frames.length === 1).length;
    assert.ok(inCall > 0 && inCall < 1500, `the first slice is written in the call, the rest later (${inCall})`);
    send('r', '2');
    send('r', '3');
    await waitFor('every member has both frames', () => members.every((m) => m.frames.length === 2), 20_000);
    for (const m of members) assert.deepEqual(m.frames, [['1'], ['2', '3']]);
    assert.equal(rf.waiting, 0);
  });

  it('does not hold one room behind another room being written', async (t) => {
    const big = Array.from({ length: 3000 }, member);
    const small = [member()];
    const { send } = fanout(t, IMMEDIATE, { big, small });
    send('big', 'b');
    send('small', 's');
    assert.deepEqual(small[0]!.frames, [['s']]);
    assert.equal(big[2999]!.frames.length, 0);
    await waitFor('the big room', () => big[2999]!.frames.length === 1, 20_000);
  });

  it('when busy (idle load 0), holds a room\'s next messages until the budget since its last write, or until max wait', async (t) => {
    const members = [member()];
    const { send } = fanout(t, { budgetMs: 60, max: 3, idleLoad: 0 }, { r: members });
    send('r', 'a');
    assert.deepEqual(members[0]!.frames, [['a']], 'quiet room: at once');
    send('r', 'b');
    await sleep(10);
    assert.deepEqual(members[0]!.frames, [['a']], 'within the budget: waiting');
    await waitFor('the budget passed', () => members[0]!.frames.length === 2);
    assert.deepEqual(members[0]!.frames, [['a'], ['b']]);
    send('r', 'c', 'd');
    send('r', 'e');
    assert.deepEqual(members[0]!.frames, [['a'], ['b'], ['c', 'd', 'e']], 'max waiting: written at once');
  });

  it('answers late once a room holds more than its limit (back-pressure), then writes it all in order', async (t) => {
    const members = Array.from({ length: 600 }, member);
    const { send } = fanout(t, IMMEDIATE, { r: members });
    send('r', 'first');
    const bulk = Array.from({ length: ROOM_PENDING_LIMIT }, (_, i) => String(i));
    const within = send('r', ...bulk);
    const over = send('r', 'over');
    assert.equal(within(), true);
    assert.equal(over(), false, 'held while the room is over its limit');
    await waitFor('the held reply', over);
    const frames = 1 + Math.ceil((ROOM_PENDING_LIMIT + 1) / 100);
    await waitFor('all written', () => members[599]!.frames.length === frames, 20_000);
    assert.ok(members[0]!.frames.every((f) => f.length <= 100), 'at most max messages per frame');
    assert.deepEqual(members[0]!.frames.flat(), ['first', ...bulk, 'over'], 'all of them, in order');
  });
});
