import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Op } from '@imcluster/protocol';
import { TestClient } from '../helpers/client.ts';
import { API_KEY } from '../helpers/cluster.ts';
import { eventually } from '../helpers/processes.ts';
import { NO_SUCH_USER, registerUser, tokenFor } from '../helpers/users.ts';
import type { Target } from './e2e.ts';

const SYSTEM_NOTICE = 30;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

type User = Awaited<ReturnType<typeof registerUser>>;
type Notice = Record<string, unknown> & { type: string };

/** A call to the social API as `token`'s user (no token: no Authorization header). */
async function call(method: string, url: string, token?: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** A goim-style connection with an empty accept filter: only forced pushes (op 30) reach it. */
async function connect(kind: 'ws' | 'tcp', address: string, user: User): Promise<TestClient> {
  const client = await TestClient.connect(kind, address);
  const reply = await client.auth({ room_id: '', accepts: [], token: user.token });
  assert.equal(reply.code, 0, JSON.stringify(reply));
  return client;
}

/** Op-30 bodies received so far, in arrival order. */
function notices(client: TestClient): Notice[] {
  return client.received.filter((p) => p.op === SYSTEM_NOTICE).map((p) => JSON.parse(p.body.toString('utf8')) as Notice);
}

/** Waits for a received notice with all of `fields` (order of arrival does not matter). */
async function waitNotice(client: TestClient, fields: Record<string, unknown>): Promise<Notice> {
  const matches = (n: Notice) => Object.entries(fields).every(([k, v]) => n[k] === v);
  return eventually(() => notices(client).find(matches), `notice ${JSON.stringify(fields)}`, 15_000, 20);
}

/** An error answer: the status and the JSON `{"code": -status, "message"}` every error has. */
function assertError(answer: Answer, status: number, what: string): void {
  assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body.code, -status, what);
  assert.equal(typeof answer.body.message, 'string', what);
}

/** Friends, blocks and groups over the HTTP API, with op-30 notifications; cluster and standalone. */
export function socialScenarios(target: () => Target): void {
  const comet = (i: number) => target().comets[i % target().comets.length]!;
  const api = (path: string) => `http://${target().http}/api/v1${path}`;
  const register = () => registerUser(`http://${target().http}`);

  describe('social API', () => {
    it('a friend request and its acceptance are announced to both users over their connections', async () => {
      const [alice, bob, carol] = [await register(), await register(), await register()];
      const a = await connect('tcp', comet(0).tcp, alice);
      const b = await connect('ws', comet(1).ws, bob);
      const bili = await TestClient.ws(comet(0).ws);
      assert.equal((await bili.auth({ uid: bob.id, roomid: 1, protover: 0, key: bob.token })).code, 0);

      assert.deepEqual((await call('POST', api('/friends/requests'), alice.token, { to: bob.id })).body, { state: 'requested' });
      const request = await waitNotice(b, { type: 'friend_request', from: alice.id });
      assert.equal(typeof request.ts, 'number');
      const biliNotice = await eventually(() => bili.received.find((p) => p.op === Op.SendMsgReply && p.ver === 0), 'op 5 on the Bilibili-style connection', 15_000, 20);
      assert.equal(JSON.parse(biliNotice.body.toString('utf8')).type, 'friend_request', 'Bilibili-style clients get the notice as op 5');
      assert.deepEqual((await call('GET', api('/friends/requests'), bob.token)).body, { from: [alice.id] });
      assert.deepEqual((await call('GET', api('/friends/requests'), alice.token)).body, { from: [] });

      const accepted = await call('POST', api(`/friends/requests/${alice.id}/accept`), bob.token);
      assert.deepEqual(accepted, { status: 200, body: { state: 'accepted' } });
      await waitNotice(a, { type: 'friend_accepted', from: alice.id, by: bob.id });
      await waitNotice(b, { type: 'friend_accepted', from: alice.id, by: bob.id });
      assert.deepEqual((await call('GET', api('/friends'), alice.token)).body, { friends: [bob.id] });
      assert.deepEqual((await call('GET', api('/friends'), bob.token)).body, { friends: [alice.id] });
      assert.deepEqual((await call('GET', api('/friends/requests'), bob.token)).body, { from: [] });
      assert.deepEqual((await call('POST', api('/friends/requests'), alice.token, { to: bob.id })).body, { state: 'already' });
      assert.deepEqual((await call('POST', api(`/friends/requests/${alice.id}/accept`), bob.token)).body, { state: 'already' });
      assertError(await call('POST', api(`/friends/requests/${carol.id}/accept`), bob.token), 404, 'accepting a request nobody sent');

      // Asking someone who asked you first makes you friends at once.
      assert.deepEqual((await call('POST', api('/friends/requests'), carol.token, { to: alice.id })).body, { state: 'requested' });
      assert.deepEqual((await call('POST', api('/friends/requests'), alice.token, { to: carol.id })).body, { state: 'accepted' });
      assert.deepEqual((await call('GET', api('/friends'), alice.token)).body, { friends: [bob.id, carol.id] });

      assert.equal((await call('DELETE', api(`/friends/${bob.id}`), alice.token)).status, 204);
      await waitNotice(b, { type: 'friend_removed', user: bob.id, by: alice.id });
      assertError(await call('DELETE', api(`/friends/${bob.id}`), alice.token), 404, 'no longer friends');
      assert.deepEqual((await call('GET', api('/friends'), bob.token)).body, { friends: [] });
      for (const client of [a, b, bili]) client.close();
    });

    it('users are found by id and by name', async () => {
      const [alice, bob] = [await register(), await register()];
      assert.deepEqual(await call('GET', api(`/users/${bob.id}`), alice.token), { status: 200, body: { id: bob.id, name: bob.name } });
      assert.deepEqual((await call('GET', api(`/users?name=${encodeURIComponent(bob.name)}`), alice.token)).body, { id: bob.id, name: bob.name });
      assertError(await call('GET', api('/users?name=nobody-at-all-here'), alice.token), 404, 'unknown name');
      assertError(await call('GET', api('/users/999999999'), alice.token), 404, 'unknown id');
      assertError(await call('GET', api('/users/abc'), alice.token), 400, 'id not a number');
      assertError(await call('GET', api('/users'), alice.token), 400, 'no name given');
    });

    it('blocks are listed, refuse friend requests and can be lifted', async () => {
      const [alice, bob, carol] = [await register(), await register(), await register()];
      assert.deepEqual((await call('POST', api('/blocks'), alice.token, { user: carol.id })).body, { user: carol.id, blocked: true });
      assert.deepEqual((await call('POST', api('/blocks'), alice.token, { user: bob.id })).body, { user: bob.id, blocked: true });
      assert.equal((await call('POST', api('/blocks'), alice.token, { user: bob.id })).status, 200, 'blocking again is fine');
      assert.deepEqual((await call('GET', api('/blocks'), alice.token)).body, { blocked: [bob.id, carol.id].sort((x, y) => x - y) });
      assert.deepEqual((await call('GET', api('/blocks'), bob.token)).body, { blocked: [] }, 'blocks are one-way');

      assertError(await call('POST', api('/friends/requests'), bob.token, { to: alice.id }), 403, 'a blocked user cannot ask');
      assertError(await call('POST', api('/friends/requests'), alice.token, { to: bob.id }), 409, 'unblock before asking');
      assertError(await call('POST', api('/blocks'), alice.token, { user: alice.id }), 400, 'blocking yourself');
      assertError(await call('POST', api('/blocks'), alice.token, { user: 999_999_999 }), 404, 'blocking nobody');

      assert.equal((await call('DELETE', api(`/blocks/${bob.id}`), alice.token)).status, 204);
      assertError(await call('DELETE', api(`/blocks/${bob.id}`), alice.token), 404, 'not blocked any more');
      assert.deepEqual((await call('GET', api('/blocks'), alice.token)).body, { blocked: [carol.id] });
      assert.deepEqual((await call('POST', api('/friends/requests'), bob.token, { to: alice.id })).body, { state: 'requested' });
    });

    it('groups: roles decide who may add, promote, remove and dissolve; members are notified', async () => {
      const [owner, admin, member, late, outsider] = [await register(), await register(), await register(), await register(), await register()];
      const o = await connect('ws', comet(0).ws, owner);
      const ad = await connect('tcp', comet(1).tcp, admin);
      const m = await connect('ws', comet(1).ws, member);
      const l = await connect('tcp', comet(0).tcp, late);

      const created = await call('POST', api('/groups'), owner.token, { name: '  Team 😀  ' });
      assert.equal(created.status, 201);
      const group = created.body as { id: number; name: string; owner: number; created_at: number };
      assert.equal(group.name, 'Team 😀', 'trimmed');
      assert.equal(group.owner, owner.id);
      const g = group.id;
      const members = (path = '') => api(`/groups/${g}/members${path}`);
      await waitNotice(o, { type: 'group_created', group: g });

      assert.deepEqual(await call('POST', members(), owner.token, { user: admin.id, role: 'admin' }), { status: 201, body: { group: g, user: admin.id, role: 'admin' } });
      await waitNotice(ad, { type: 'group_member_added', group: g, user: admin.id, role: 'admin', by: owner.id });
      assert.equal((await call('POST', members(), owner.token, { user: member.id })).status, 201, 'role defaults to member');
      await waitNotice(ad, { type: 'group_member_added', group: g, user: member.id, role: 'member' });
      await waitNotice(m, { type: 'group_member_added', group: g, user: member.id });
      assertError(await call('POST', members(), owner.token, { user: member.id }), 409, 'a member already');
      assertError(await call('POST', members(), owner.token, { user: 999_999_999 }), 404, 'no such user');
      assertError(await call('POST', members(), member.token, { user: late.id }), 403, 'members do not add');
      assertError(await call('POST', members(), admin.token, { user: late.id, role: 'admin' }), 403, 'admins add plain members only');
      assert.equal((await call('POST', members(), admin.token, { user: late.id })).status, 201);
      await waitNotice(o, { type: 'group_member_added', group: g, user: late.id, by: admin.id });

      const detail = await call('GET', api(`/groups/${g}`), member.token);
      assert.deepEqual(detail.body.members, [
        { user: owner.id, role: 'owner' },
        { user: admin.id, role: 'admin' },
        { user: member.id, role: 'member' },
        { user: late.id, role: 'member' },
      ]);
      assert.deepEqual({ ...detail.body, members: undefined }, { ...group, members: undefined });
      assertError(await call('GET', api(`/groups/${g}`), outsider.token), 403, 'members only');
      assertError(await call('GET', api('/groups/999999999'), outsider.token), 404, 'no such group');

      assertError(await call('PATCH', members(`/${member.id}`), admin.token, { role: 'admin' }), 403, 'only the owner changes roles');
      assert.deepEqual((await call('PATCH', members(`/${member.id}`), owner.token, { role: 'admin' })).body, { group: g, user: member.id, role: 'admin' });
      await waitNotice(l, { type: 'group_role_changed', group: g, user: member.id, role: 'admin', by: owner.id });
      assertError(await call('PATCH', members(`/${owner.id}`), owner.token, { role: 'member' }), 409, 'the owner stays owner');
      assertError(await call('PATCH', members(`/${outsider.id}`), owner.token, { role: 'admin' }), 404, 'not a member');
      assertError(await call('PATCH', members(`/${member.id}`), owner.token, { role: 'owner' }), 400, 'owner is not assignable');

      assertError(await call('DELETE', members(`/${member.id}`), admin.token), 403, 'admins remove plain members only');
      assertError(await call('DELETE', members(`/${owner.id}`), admin.token), 403, 'nobody removes the owner');
      assertError(await call('DELETE', members(`/${admin.id}`), late.token), 403, 'members remove nobody');
      assert.equal((await call('DELETE', members(`/${late.id}`), admin.token)).status, 204);
      await waitNotice(l, { type: 'group_member_removed', group: g, user: late.id, by: admin.id });
      await waitNotice(o, { type: 'group_member_removed', group: g, user: late.id });
      assertError(await call('DELETE', members(`/${late.id}`), owner.token), 404, 'removed already');
      assertError(await call('GET', api(`/groups/${g}`), late.token), 403, 'no longer a member');

      assertError(await call('POST', api(`/groups/${g}/leave`), owner.token), 409, 'the owner dissolves instead of leaving');
      assertError(await call('DELETE', members(`/${owner.id}`), owner.token), 409, 'removing oneself is leaving');
      assert.equal((await call('POST', api(`/groups/${g}/leave`), member.token)).status, 204);
      await waitNotice(o, { type: 'group_member_left', group: g, user: member.id });
      assertError(await call('POST', api(`/groups/${g}/leave`), member.token), 403, 'left already');
      assert.deepEqual((await call('GET', api('/groups'), admin.token)).body, { groups: [group] });
      assert.deepEqual((await call('GET', api('/groups'), member.token)).body, { groups: [] });

      assertError(await call('DELETE', api(`/groups/${g}`), admin.token), 403, 'only the owner dissolves');
      assert.equal((await call('DELETE', api(`/groups/${g}`), owner.token)).status, 204);
      await waitNotice(ad, { type: 'group_dissolved', group: g, by: owner.id });
      await waitNotice(o, { type: 'group_dissolved', group: g });
      assertError(await call('GET', api(`/groups/${g}`), owner.token), 404, 'dissolved');
      assertError(await call('DELETE', api(`/groups/${g}`), owner.token), 404, 'dissolved already');
      assert.deepEqual((await call('GET', api('/groups'), admin.token)).body, { groups: [] });
      assert.ok(!notices(m).some((n) => n.type === 'group_dissolved'), 'who left is not told of the dissolution');
      for (const client of [o, ad, m, l]) client.close();
    });

    it('answers JSON errors: 401 without a valid token, 400 for bad input', async () => {
      const alice = await register();
      const noUser = await tokenFor(NO_SUCH_USER);
      const refused = [[undefined, 'no token'], ['not-a-jwt', 'garbage token'], [API_KEY, 'the API key is no user token'], [noUser, 'a valid token naming no user']] as const;
      for (const [token, what] of refused) {
        assertError(await call('GET', api('/friends'), token), 401, what);
        assertError(await call('POST', api('/groups'), token, { name: 'x' }), 401, `${what}, before the body is looked at`);
      }
      assertError(await call('POST', api('/friends/requests'), alice.token, { to: 'bob' }), 400, 'to: not a number');
      assertError(await call('POST', api('/friends/requests'), alice.token, { to: 1.5 }), 400, 'to: not an integer');
      assertError(await call('POST', api('/friends/requests'), alice.token, '{"to":'), 400, 'not JSON');
      assertError(await call('POST', api('/friends/requests'), alice.token, { to: alice.id }), 400, 'befriending yourself');
      assertError(await call('POST', api('/friends/requests'), alice.token, { to: 999_999_999 }), 404, 'no such user');
      assertError(await call('POST', api('/groups'), alice.token, {}), 400, 'no name');
      assertError(await call('POST', api('/groups'), alice.token, { name: '   ' }), 400, 'blank name');
      assertError(await call('POST', api('/groups'), alice.token, { name: 'n'.repeat(65) }), 400, 'name too long');
      assertError(await call('POST', api('/groups'), alice.token, { name: 'a\u0007b' }), 400, 'control character');
      assertError(await call('GET', api('/groups/0'), alice.token), 400, 'group 0');
      assertError(await call('GET', api('/groups/1e3'), alice.token), 400, 'not digits');
      assertError(await call('POST', api('/groups/1/members'), alice.token, { user: 2, role: 'boss' }), 400, 'unknown role');
      assert.deepEqual((await call('GET', api('/groups'), alice.token)).body, { groups: [] }, 'nothing was created');
    });
  });
}
