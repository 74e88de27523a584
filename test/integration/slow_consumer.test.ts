import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { before, it } from 'node:test';
import { encodePacket, Op } from '@imcluster/protocol';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { TestClient } from '../helpers/client.ts';
import { cometStats } from '../helpers/comet_stats.ts';
import { eventually } from '../helpers/processes.ts';
import { post } from '../helpers/push.ts';
import { registerUser } from '../helpers/users.ts';

const cleanup = fileCleanup();
let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(cleanup, {
    comets: 1,
    jobs: 1,
    // One frame per push (no merging), so frame counts are predictable.
    env: { IM_COMET_SEND_HIGH_WATER: '16384', IM_COMET_SEND_QUEUE: '8', IM_COMET_MAX_DROPS: '16', IM_PUSH_MAX_BODY: '65536', IM_JOB_ROOM_BATCH_MAX: '1', IM_COMET_ROOM_BATCH_MAX: '1' },
  });
});

/** Authenticates over raw TCP, then never reads again: the kernel buffers fill and the comet must cope. */
async function stalledReader(address: string, token: string, room: string): Promise<net.Socket> {
  const [host, port] = address.split(':');
  const socket = net.connect({ host, port: Number(port) });
  await once(socket, 'connect');
  socket.write(encodePacket({ op: Op.Auth, seq: 1, body: JSON.stringify({ room_id: room, token }) }));
  await once(socket, 'data');
  socket.pause();
  return socket;
}

it('a reader that stops reading loses old frames, then is disconnected with 3002; comet memory stays bounded and others are served', async () => {
  const room = `live://slow${Date.now()}`;
  const user = await registerUser(cluster.http);
  const comet = cluster.comets[0]!;
  const slow = await stalledReader(comet.tcp, user.token, room);
  const healthy = await TestClient.ws(comet.ws);
  await healthy.auth({ room_id: room, token: user.token });

  const body = 'x'.repeat(32 * 1024);
  const pushes = 800; // 25 MiB towards a socket nobody reads: more than loopback socket buffers hold
  for (let i = 0; i < pushes; i += 20) {
    await Promise.all(Array.from({ length: 20 }, () => post(`${cluster.http}/goim/push/room?operation=1000&type=live&room=${room.slice(7)}`, body)));
  }

  const stats = await eventually(async () => {
    const s = await cometStats(comet.grpc);
    return Number(s.slowDisconnects) >= 1 ? s : undefined;
  }, 'the slow reader to be disconnected', 30_000, 200);
  assert.ok(Number(stats.framesDropped) > 32, `frames dropped: ${stats.framesDropped}`);
  await healthy.waitForMessages(pushes, 30_000);
  assert.equal(healthy.closeCode, undefined, 'the healthy reader kept its connection and got everything');

  // The stalled socket is closed. (Its op-6 packet sits behind megabytes it never read, so a
  // reader this stuck learns the reason only if it catches up within the close linger.)
  slow.resume();
  await once(slow, 'close');

  const rss = cluster.comets[0]!.process.child.pid!;
  const status = await import('node:fs/promises').then((fs) => fs.readFile(`/proc/${rss}/status`, 'utf8'));
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  assert.ok(rssKb < 400 * 1024, `comet RSS ${rssKb} kB stays bounded`);
});
