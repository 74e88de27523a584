// Issue 9: bench:chat crashed with --group 0, had no --help, and did not count duplicates,
// reorders, refusals or sender-order breaks. These check its option parsing and its counting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChatOptions } from '../../bench/lib/chat_args.ts';
import type { ChatConn, PendingSend, Received } from '../../bench/lib/chat_conn.ts';
import { PhaseStats, type PhasePlan } from '../../bench/lib/chat_phase.ts';

test('bench:chat options: --group 0 skips the group phase, --help asks for usage, bad input is refused', () => {
  const opts = parseChatOptions(['--', '--group', '0', '--inflight', '8', '--rate', '0']);
  assert.notEqual(opts, 'help');
  if (opts === 'help') return;
  assert.equal(opts.group, 0);
  assert.equal(opts.pairs, 50);
  assert.equal(opts.inflight, 8);
  assert.equal(opts.rate, 0);
  assert.equal(parseChatOptions(['--help']), 'help');
  assert.throws(() => parseChatOptions(['--pairs', '0', '--group', '0']), /nothing to measure/);
  assert.throws(() => parseChatOptions(['--bogus', '1']), /Unknown option/);
  assert.throws(() => parseChatOptions(['--inflight', '0']), /--inflight/);
  assert.throws(() => parseChatOptions(['--http', 'http://10.1.2.3:3111']), /loopback/);
});

test('bench:chat counting: seq inversions, refused-yet-delivered, duplicates, reorders and foreign messages', () => {
  const conn = { inFlight: 0 } as unknown as ChatConn;
  const plan: PhasePlan = { name: 'one-to-one', senders: [{ conn, user: 7, to: { type: 'user', id: 8 } }], receivers: [], devicesPerMessage: 2 };
  const stats = new PhaseStats('t1', plan);
  const sent = (n: number): PendingSend => ({ n, tag: 't1', sentAtMs: 0, sink: stats });
  stats.replied(conn, sent(1), { code: 0, conv: 'u:7:8', seq: 2 }, 1);
  stats.replied(conn, sent(2), { code: 0, conv: 'u:7:8', seq: 1 }, 1); // sent later, numbered lower
  stats.replied(conn, sent(3), { code: 4503 }, 1);
  stats.expired(conn, sent(4));
  const message = (n: number, extra: Partial<Received> = {}): Received => ({ conv: 'u:7:8', seq: n, from: 7, payload: `t1|0|${n}`, duplicate: false, reordered: false, ...extra });
  stats.received(message(3));
  stats.received(message(1, { reordered: true }));
  stats.received(message(1, { duplicate: true }));
  stats.received({ ...message(9), payload: 'w1|0|9' });
  const counts = stats.counts();
  assert.equal(counts.acked, 2);
  assert.deepEqual(counts.refused, { 4503: 1 });
  assert.equal(counts.timedOut, 1);
  assert.equal(counts.seqInversions, 1);
  assert.deepEqual(counts.deliveries, { expected: 4, unique: 2, duplicates: 1, reorders: 1, foreign: 1, unackedButDelivered: 1 });
});
