// Issue 10, finding 7: smaller input checks, each refused with its documented error by a real
// standalone node (socket auth and chat over TCP, the HTTP API).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ChatCode, CloseCode, Op } from '@imcluster/protocol';
import { asUser } from '../helpers/chat.ts';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestClient } from '../helpers/client.ts';
import { API_KEY } from '../helpers/cluster.ts';
import { post } from '../helpers/push.ts';
import { startStandalone, tempDataDir, type StandaloneHandle } from '../helpers/standalone.ts';
import { registerUser } from '../helpers/users.ts';

const cleanup = fileCleanup();
let node: StandaloneHandle;
let http: string;
let user: { id: number; token: string };

before(async () => {
  node = await startStandalone(cleanup, tempDataDir(cleanup));
  http = `http://${node.http}`;
  user = await registerUser(http);
});

describe('socket auth and chat', () => {
  const wrongTyped = [
    ...['"0"', '[]', 'null', 'false'].map((mid) => `{"mid":${mid},"room_id":"live://1"}`),
    ...['[5]', '"0x10"', 'true', '" 12 "'].map((roomid) => `{"uid":0,"roomid":${roomid}}`),
    '{"room_id":"live://1","accepts":[99999999999]}',
  ];
  for (const body of wrongTyped) {
    it(`refuses ${body} with 3504 and closes`, async () => {
      const client = await TestClient.tcp(node.tcp);
      assert.equal((await client.auth(body)).code, CloseCode.AUTH_FAILED);
      assert.equal(await client.waitClosed(), CloseCode.AUTH_FAILED);
    });
  }

  it('answers an anonymous viewer\'s chat send with 4003 and keeps its connection open', async () => {
    const viewer = await TestClient.tcp(node.tcp);
    assert.equal((await viewer.auth({ mid: 0, room_id: 'live://1' })).code, 0);
    const seq = viewer.send(Op.SendMsg, JSON.stringify({ client_msg_id: 'a1', to: { type: 'user', id: user.id }, payload: 'hi' }));
    const reply = await viewer.next((p) => p.op === Op.SendMsgReply && p.seq === seq);
    assert.equal((JSON.parse(reply.body.toString('utf8')) as { code: number }).code, ChatCode.FORBIDDEN);
    assert.equal(typeof (await viewer.heartbeat()), 'number', 'still open');
    assert.equal(viewer.closeCode, undefined);
    viewer.close();
  });
});

describe('HTTP API', () => {
  it('answers history paging with a negative or huge seq with 400 JSON', async () => {
    const peer = await registerUser(http);
    const conv = `u:${Math.min(user.id, peer.id)}:${Math.max(user.id, peer.id)}`;
    for (const query of ['before=-1', 'after=-5', 'before=1e20', 'after=9007199254740993']) {
      const answer = await asUser(http, user.token, 'GET', `/api/v1/conversations/${conv}/messages?${query}`);
      assert.equal(answer.status, 400, query);
      assert.equal(answer.body.error, 'INVALID', query);
    }
    assert.equal((await asUser(http, user.token, 'GET', `/api/v1/conversations/${conv}/messages?before=10`)).status, 200);
  });

  it('refuses goim push/room to room ids with a space or NUL (the room id rule)', async () => {
    for (const room of ['10%2000', '10%0000', '10%09']) {
      const answer = await post(`${http}/goim/push/room?operation=1000&type=live&room=${room}`, 'hi');
      assert.equal(answer.status, 400, room);
      assert.match(String(answer.body.message), /room id/);
    }
    assert.equal((await post(`${http}/api/v1/push/room`, { operation: 1000, room: 'live://a b', body: 'hi' })).status, 400);
    assert.equal((await post(`${http}/goim/push/room?operation=1000&type=live&room=1000`, 'hi')).status, 200);
  });

  it('refuses a body_base64 that is not base64', async () => {
    for (const body_base64 of ['!!!###', 'aGVsbG8', 'aGVsbG8=x', 'a b=']) {
      assert.equal((await post(`${http}/api/v1/push/all`, { operation: 1000, body_base64 })).status, 400, body_base64);
    }
    assert.equal((await post(`${http}/api/v1/push/all`, { operation: 1000, body_base64: 'aGVsbG8=' })).status, 202);
  });

  it('refuses a broadcast speed below 0 or past 2147483647, on both push routes', async () => {
    for (const speed of ['-5', '1000000000000000', '2147483648']) {
      assert.equal((await post(`${http}/goim/push/all?operation=1000&speed=${speed}`, 'hi')).status, 400, `goim speed ${speed}`);
    }
    for (const speed of [-5, 1e15, 2.5]) {
      assert.equal((await post(`${http}/api/v1/push/all`, { operation: 1000, speed, body: 'hi' })).status, 400, `api speed ${speed}`);
    }
    assert.equal((await post(`${http}/goim/push/all?operation=1000&speed=2147483647`, 'hi')).status, 200);
  });

  it('refuses group names with bidi controls or invisible characters; joiners in emoji stay allowed', async () => {
    for (const name of ['ab\u202Ecd', 'x\u2066y\u2069', 'zero\u200Bwidth', 'b\uFEFFom', 'soft\u00ADhyphen']) {
      const answer = await asUser(http, user.token, 'POST', '/api/v1/groups', { name });
      assert.equal(answer.status, 400, JSON.stringify(name));
      assert.match(String(answer.body.message), /bidi or invisible/);
    }
    assert.equal((await asUser(http, user.token, 'POST', '/api/v1/groups', { name: 'family \u{1F468}\u200D\u{1F469}\u200D\u{1F467}' })).status, 201);
  });

  it('takes the API key only as `Authorization: Bearer <key>` (the scheme in any case)', async () => {
    const push = (headers: Record<string, string>) =>
      fetch(`${http}/goim/push/room?operation=1000&type=live&room=1000`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: 'hi' }).then((res) => res.status);
    const refused: Record<string, string>[] = [{ authorization: API_KEY }, { authorization: `Basic ${API_KEY}` }, { authorization: `Token ${API_KEY}` }, { 'x-api-key': API_KEY }, { authorization: `Bearer${API_KEY}` }];
    for (const headers of refused) {
      assert.equal(await push(headers), 401, JSON.stringify(headers));
    }
    assert.equal(await push({ authorization: `bearer ${API_KEY}` }), 200);
  });
});
