import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { before, it } from 'node:test';
import { fileCleanup } from '../../../../test/helpers/cleanup.ts';
import { repoRoot } from '../../../../test/helpers/processes.ts';
import { startStandalone, tempDataDir } from '../../../../test/helpers/standalone.ts';
import { post, waitFor } from './helpers.ts';

// The examples run as docs/client.md says, against a standalone node, as separate processes.
const cleanup = fileCleanup();
let logic: string;

before(async () => {
  const node = await startStandalone(cleanup, tempDataDir(cleanup));
  logic = `http://${node.http}`;
});

interface Running {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
}

function run(example: string, args: string[]): Running {
  const child = spawn(process.execPath, [`libs/client/examples/${example}`, '--logic', logic, ...args], { cwd: repoRoot });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  cleanup.after(() => child.kill('SIGKILL'));
  return { child, out: () => out };
}

const saw = (p: Running, text: string, timeoutMs = 30_000) => waitFor(() => p.out().includes(text), `"${text}" in:\n${p.out()}`, timeoutMs);

it('chat.ts: two terminals chat, with read receipts and history', async () => {
  const alice = run('chat.ts', ['--name', 'alice', '--to', 'bob']);
  await saw(alice, '* waiting for bob to sign in');
  const bob = run('chat.ts', ['--name', 'bob', '--to', 'alice']);
  await Promise.all([saw(alice, '* chatting with bob'), saw(bob, '* chatting with alice')]);
  alice.child.stdin.write('hello bob\n');
  await saw(bob, '[1] alice: hello bob');
  await saw(alice, '* bob read up to 1');
  bob.child.stdin.write('hi alice\n');
  await saw(alice, '[2] bob: hi alice');
  alice.child.stdin.write('/history\n');
  await saw(alice, '* history:');
  alice.child.stdin.end('/quit\n');
  assert.equal(await new Promise((resolve) => alice.child.once('exit', resolve)), 0);
});

it('live-room.ts: prints room pushes, plain and as Bilibili brotli batches', async () => {
  const goim = run('live-room.ts', ['--room', 'live://4242']);
  const bili = run('live-room.ts', ['--room', 'live://4242', '--dialect', 'bili', '--protover', '3', '--transport', 'tcp']);
  await Promise.all([saw(goim, '* in live://4242'), saw(bili, '* in live://4242')]);
  assert.equal((await post(`${logic}/goim/push/room?operation=1000&type=live&room=4242`, 'hello room')).status, 200);
  await Promise.all([saw(goim, '[op 1000] hello room'), saw(bili, '[op 5] hello room')]);
  goim.child.kill('SIGINT');
  assert.equal(await new Promise((resolve) => goim.child.once('exit', resolve)), 0);
});
