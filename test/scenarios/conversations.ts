import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Op } from '@imcluster/protocol';
import { asUser, ChatClient, directConv } from '../helpers/chat.ts';
import { TestClient } from '../helpers/client.ts';
import { eventually } from '../helpers/processes.ts';
import { registerUser } from '../helpers/users.ts';
import type { Target } from './e2e.ts';

interface Entry {
  conv: string;
  last_seq: number;
  read_seq: number;
  unread: number;
  delivered_seq: number;
}

interface ListReply {
  code: number;
  conversations?: Entry[];
  message?: string;
}

/** op 31 on the connection, answered by op 32 with the same seq. */
async function list(client: ChatClient, body = '{}'): Promise<ListReply> {
  const sent = client.client.send(Op.ChatConversations, body);
  const reply = await client.client.next((p) => p.op === Op.ChatConversationsReply && p.seq === sent, 15_000);
  return JSON.parse(reply.body.toString('utf8')) as ListReply;
}

/** A list entry nobody has read or acknowledged yet. */
function fresh(conv: string, lastSeq: number): Entry {
  return { conv, last_seq: lastSeq, read_seq: 0, unread: lastSeq, delivered_seq: 0 };
}

/**
 * The conversation list (op 31/32 and `GET /api/v1/conversations`), run against a cluster of
 * processes and against a standalone node.
 */
export function conversationScenarios(target: () => Target): void {
  const comet = (i: number) => target().comets[i % target().comets.length]!;
  const http = () => `http://${target().http}`;

  describe('conversation list', () => {
    it('lists direct and group conversations with last seq and unread, on the socket and over HTTP; reads and acks show', async () => {
      const [alice, bob, carol, dave] = await Promise.all([registerUser(http()), registerUser(http()), registerUser(http()), registerUser(http())]);
      const created = await asUser(http(), dave.token, 'POST', '/api/v1/groups', { name: 'listed' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const group = Number(created.body.id);
      const added = await asUser(http(), dave.token, 'POST', `/api/v1/groups/${group}/members`, { user: bob.id });
      assert.ok(added.status < 300, JSON.stringify(added.body));

      const a = await ChatClient.connect('ws', comet(0).ws, alice.token);
      const c = await ChatClient.connect('tcp', comet(1).tcp, carol.token);
      const d = await ChatClient.connect('tcp', comet(0).tcp, dave.token);
      const b = await ChatClient.connect('ws', comet(1).ws, bob.token);
      for (let i = 0; i < 3; i++) assert.equal((await a.send(bob.id, `a${i}`)).code, 0);
      for (let i = 0; i < 2; i++) assert.equal((await c.send(bob.id, `c${i}`)).code, 0);
      for (let i = 0; i < 4; i++) assert.equal((await d.sendToGroup(group, `d${i}`)).code, 0);

      const [ab, cb, g] = [directConv(alice.id, bob.id), directConv(carol.id, bob.id), `g:${group}`];
      // Groups first, then direct conversations, the most recently active first.
      const expected = [fresh(g, 4), fresh(cb, 2), fresh(ab, 3)];
      assert.deepEqual(await list(b), { code: 0, conversations: expected });
      assert.deepEqual(await asUser(http(), bob.token, 'GET', '/api/v1/conversations'), { status: 200, body: { conversations: expected } });
      assert.deepEqual(await list(b, ''), { code: 0, conversations: expected }, 'an empty body counts as {}');
      // Issue 9.6: sending advances the sender's own read cursor; nothing the sender wrote is unread.
      assert.deepEqual((await list(a)).conversations, [{ ...fresh(ab, 3), read_seq: 3, unread: 0 }], 'the sender lists it too, read');

      b.read(ab, 3);
      await b.waitEvent<{ conv: string; reader: number }>(Op.ChatReadReceipt, (e) => e.conv === ab && e.reader === bob.id);
      b.ack(cb, 2);
      const after = [fresh(g, 4), { ...fresh(cb, 2), delivered_seq: 2 }, { ...fresh(ab, 3), read_seq: 3, unread: 0 }];
      await eventually(async () => JSON.stringify((await list(b)).conversations) === JSON.stringify(after), 'the read and the ack in the list', 10_000);
      assert.deepEqual((await asUser(http(), bob.token, 'GET', '/api/v1/conversations')).body, { conversations: after });

      assert.deepEqual((await list(b, '{"limit":2}')).conversations, after.slice(0, 2), 'a limit leaves out the least active');
      assert.deepEqual((await asUser(http(), bob.token, 'GET', '/api/v1/conversations?limit=1')).body, { conversations: after.slice(0, 1) });
      assert.equal((await list(b, '{"limit":0}')).code, 4001);
      assert.equal((await asUser(http(), bob.token, 'GET', '/api/v1/conversations?limit=201')).status, 400);
      for (const client of [a, b, c, d]) client.close();
    });

    it('a user with nothing gets an empty list; an anonymous viewer gets 4003 and HTTP without a token 401', async () => {
      const eve = await registerUser(http());
      const quiet = await asUser(http(), eve.token, 'POST', '/api/v1/groups', { name: 'quiet' });
      assert.equal(quiet.status, 201, 'a group without messages is not listed');
      const e = await ChatClient.connect('tcp', comet(1).tcp, eve.token);
      assert.deepEqual(await list(e), { code: 0, conversations: [] });
      assert.deepEqual(await asUser(http(), eve.token, 'GET', '/api/v1/conversations'), { status: 200, body: { conversations: [] } });

      const viewer = await TestClient.ws(comet(0).ws);
      assert.equal((await viewer.auth({ mid: 0, room_id: 'live://1', accepts: [] })).code, 0, 'anonymous viewers may watch live:// rooms');
      assert.equal((await list(new ChatClient(viewer))).code, 4003);
      assert.equal((await fetch(`${http()}/api/v1/conversations`)).status, 401);
      e.close();
      viewer.close();
    });
  });
}
