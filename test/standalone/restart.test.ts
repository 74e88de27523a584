import assert from 'node:assert/strict';
import { it } from 'node:test';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestClient } from '../helpers/client.ts';
import { post } from '../helpers/push.ts';
import { startStandalone, tempDataDir } from '../helpers/standalone.ts';
import { registerUser } from '../helpers/users.ts';

const cleanup = fileCleanup();

it('a restarted standalone node keeps its users, and Ctrl-C delivers what it acknowledged', async () => {
  const dataDir = tempDataDir(cleanup);
  const first = await startStandalone(cleanup, dataDir);
  const user = await registerUser(`http://${first.http}`);

  // Acknowledged pushes are handed on before the node exits on SIGINT.
  const client = await TestClient.tcp(first.tcp);
  assert.equal((await client.auth({ room_id: '', accepts: [1000], token: user.token })).code, 0);
  const acks = await Promise.all(Array.from({ length: 100 }, (_, i) => post(`http://${first.http}/goim/push/mids?operation=1000&mids=${user.id}`, `p${i}`)));
  assert.ok(acks.every((a) => a.status === 200));
  first.process.kill('SIGINT');
  assert.equal(await first.process.exited, 0, 'clean exit');
  assert.equal(client.messages.length, 100, 'every acknowledged push was delivered before exit');
  assert.equal(client.closeCode, 3001, 'clients were told to reconnect elsewhere');

  const second = await startStandalone(cleanup, dataDir);
  const login = await fetch(`http://${second.http}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: user.name, password: 'secret-password' }),
  });
  assert.equal(login.status, 200);
  const body = (await login.json()) as { id: number; token: string };
  assert.equal(body.id, user.id, 'same user id after restart');
  const again = await TestClient.ws(second.ws);
  assert.equal((await again.auth({ room_id: 'live://1', token: body.token })).code, 0);
  again.close();
});

it('Ctrl-C under `pnpm start` (SIGINT from the terminal and from pnpm at once) ends quietly with status 0', async () => {
  const node = await startStandalone(cleanup, tempDataDir(cleanup));
  const client = await TestClient.ws(node.ws);
  assert.equal((await client.auth({ room_id: 'live://1' })).code, 0);
  node.process.kill('SIGINT');
  node.process.kill('SIGINT');
  assert.equal(await node.process.exited, 0);
  const stopping = node.process.logs.slice(node.process.logs.findIndex((l) => l.msg === 'stopping'));
  assert.equal(stopping.at(-1)?.msg, 'stopped');
  const noisy = stopping.filter((l) => l.raw || Number(l.level) >= 40);
  assert.deepEqual(noisy, [], 'no warning, error or stray output (such as a stack trace) during a normal stop');
});
