// Regression (issue 10, finding 6): after A blocked C, C sent 2,000 read receipts (op 24) for
// their conversation and A received all 2,000 op 25 (forced pushes skipped the block); ids such as
// `u:0:3`, `u:003:1` or the reversed order passed the membership check and each op 24 wrote a
// cursor row for a conversation that does not exist. Now blocks apply to receipts and recalls, only
// the canonical id is accepted (4001 otherwise), nothing is written for a conversation without
// messages, and a connection that floods cheap ops is closed with 3005.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, describe, it } from 'node:test';
import { CloseCode, directConversation, Op } from '@imcluster/protocol';
import { ChatClient } from '../helpers/chat.ts';
import { fileCleanup } from '../helpers/cleanup.ts';
import { startStandalone, tempDataDir, type StandaloneHandle } from '../helpers/standalone.ts';
import { registerUser } from '../helpers/users.ts';

const cleanup = fileCleanup();
let node: StandaloneHandle;
let http: string;

before(async () => {
  node = await startStandalone(cleanup, tempDataDir(cleanup));
  http = `http://${node.http}`;
});

/** Cursor rows of `user` in the node's SQLite file, read as another process would. */
function cursorRows(user: number): { conv: string }[] {
  const db = new DatabaseSync(join(node.dataDir, 'imcluster.db'), { readOnly: true });
  try {
    return db.prepare('SELECT conv FROM conversation_cursors WHERE user_id = ?').all(user) as { conv: string }[];
  } finally {
    db.close();
  }
}

async function pair() {
  const a = await registerUser(http, 'a');
  const c = await registerUser(http, 'c');
  const alice = await ChatClient.connect('ws', node.ws, a.token);
  const carol = await ChatClient.connect('tcp', node.tcp, c.token);
  cleanup.after(() => {
    alice.client.close();
    carol.client.close();
  });
  return { a, c, alice, carol, conv: directConversation(a.id, c.id) };
}

describe('blocks and conversation ids (issue 10, finding 6)', () => {
  it('after A blocks C, none of C\'s read receipts or recalls reach A; C\'s own devices still get them', async () => {
    const { a, c, alice, carol, conv } = await pair();
    assert.equal((await carol.send(a.id, 'before the block')).code, 0);
    assert.equal((await alice.send(c.id, 'hello')).code, 0);
    const blocked = await fetch(`${http}/api/v1/blocks`, { method: 'POST', headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ user: c.id }) });
    assert.equal(blocked.status, 200);
    for (let i = 0; i < 150; i++) carol.read(conv, 2);
    await carol.waitEvent<{ reader: number }>(Op.ChatReadReceipt, (e) => e.reader === c.id);
    assert.equal((await carol.recall(conv, 1)).code, 0);
    await carol.waitEvent<{ seq: number }>(Op.ChatRecalled, (e) => e.seq === 1);
    await sleep(500); // anything on its way to A would have arrived with C's own copy
    assert.deepEqual(alice.events(Op.ChatReadReceipt), []);
    assert.deepEqual(alice.events(Op.ChatRecalled), []);
    assert.equal(carol.events(Op.ChatReadReceipt).length, 1, 'one receipt: the others moved nothing');
  });

  it('refuses every non-canonical spelling with 4001 and writes no cursor row for it', async () => {
    const { a, c, carol, conv } = await pair();
    const [low, high] = [Math.min(a.id, c.id), Math.max(a.id, c.id)];
    const spellings = [`u:${high}:${low}`, `u:00${low}:${high}`, `u:0:${c.id}`, `u:${c.id}:${c.id}`];
    for (const other of spellings) {
      const sync = await carol.sync(other);
      assert.equal(sync.code, 4001, other);
      for (let i = 0; i < 20; i++) carol.read(other, 1);
      carol.ack(other, 1);
    }
    carol.read(`u:${c.id}:999999999`, 1); // canonical, but no such conversation
    assert.equal((await carol.sync(conv)).code, 0, 'the canonical id works, and every op before it is done');
    assert.deepEqual(cursorRows(c.id), []);
  });

  it('closes a connection that floods cheap ops (2,000 op 24) with 3005; its peer is served meanwhile', async () => {
    const { alice, carol, conv } = await pair();
    for (let i = 0; i < 2_000; i++) carol.read(conv, 1);
    assert.equal(await carol.client.waitClosed(10_000), CloseCode.RATE_LIMITED);
    assert.equal(typeof (await alice.client.heartbeat()), 'number');
  });
});
