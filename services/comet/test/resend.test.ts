import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Unacknowledged } from '../src/resend.ts';

const frame = (name: string) => Buffer.from(name);
const names = (frames: Buffer[]) => frames.map((f) => f.toString());

describe('Unacknowledged (one connection\'s chat re-sends)', () => {
  it('gives a message back once per wait of the schedule, counted from its last attempt, then forgets it', () => {
    const unacked = new Unacknowledged([100, 300], 16);
    unacked.track('u:1:2', 1, frame('a'), 0);
    assert.deepEqual(names(unacked.due(99)), []);
    assert.deepEqual(names(unacked.due(150)), ['a']);
    assert.deepEqual(names(unacked.due(449)), [], 'the second wait counts from the first re-send');
    assert.deepEqual(names(unacked.due(450)), ['a']);
    assert.equal(unacked.size, 0, 'forgotten after the last attempt');
    assert.deepEqual(names(unacked.due(10_000)), []);
  });

  it('gives due messages back in the order they were delivered', () => {
    const unacked = new Unacknowledged([100], 16);
    unacked.track('g:1', 1, frame('g1'), 0);
    unacked.track('u:1:2', 1, frame('u1'), 10);
    unacked.track('g:1', 2, frame('g2'), 20);
    assert.deepEqual(names(unacked.due(200)), ['g1', 'u1', 'g2']);
  });

  it('treats an ack as cumulative within its conversation only', () => {
    const unacked = new Unacknowledged([100], 16);
    unacked.track('u:1:2', 1, frame('a1'), 0);
    unacked.track('u:1:2', 2, frame('a2'), 0);
    unacked.track('u:1:2', 3, frame('a3'), 0);
    unacked.track('u:1:3', 1, frame('b1'), 0);
    unacked.ack('u:1:2', 2);
    unacked.ack('u:1:2', 1); // a lower ack does not undo it
    assert.deepEqual(names(unacked.due(100)), ['a3', 'b1']);
  });

  it('does not track a delivery its conversation was already acknowledged past', () => {
    const unacked = new Unacknowledged([100, 100], 16);
    unacked.track('u:1:2', 5, frame('late'), 0);
    unacked.ack('u:1:2', 5);
    unacked.track('u:1:2', 4, frame('older'), 0);
    assert.equal(unacked.size, 1);
    assert.deepEqual(names(unacked.due(100)), []);
    assert.equal(unacked.size, 0);
  });

  it('keeps at most `max` messages, forgetting the oldest (sync carries it)', () => {
    const unacked = new Unacknowledged([100], 2);
    for (const seq of [1, 2, 3]) unacked.track('u:1:2', seq, frame(`m${seq}`), 0);
    assert.equal(unacked.size, 2);
    assert.deepEqual(names(unacked.due(100)), ['m2', 'm3']);
  });

  it('tracks nothing with an empty schedule (re-sends off)', () => {
    const unacked = new Unacknowledged([], 16);
    unacked.track('u:1:2', 1, frame('a'), 0);
    assert.equal(unacked.size, 0);
  });
});
