// Fault injection on the clustered infrastructure (scripts/infra/ha.sh): under steady chat and room
// traffic, one fault at a time is injected and healed, and what the apps saw is audited. Run by
// `pnpm test:chaos` (scripts/chaos.mjs), which brings the HA infrastructure up first.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileCleanup } from '../helpers/cleanup.ts';
import { TestCluster } from '../helpers/cluster.ts';
import { repoRoot } from '../helpers/processes.ts';
import { awaitRedisPromotion, etcdMembers, haEnv, heal, kafkaLeader, redisPrimary, signal } from './ha_infra.ts';
import { sleep, Traffic, type FaultFigures } from './traffic.ts';

/** Documented bound (docs/operations.md, Failure modes) of the longest time a sender goes without an ack. */
const ACK_GAP_BOUND_MS = 90_000;
/** Every device sees every acknowledged message within this after the heal. */
const SETTLE_MS = 60_000;
const REGISTRY_TTL_SEC = 4;
const REDIS_SEED = 7101;

const cleanup = fileCleanup();
const env = await haEnv();
Object.assign(process.env, env);
let cluster: TestCluster;
let traffic: Traffic;
const table: FaultFigures[] = [];

before(async () => {
  cluster = await TestCluster.start(cleanup, {
    logics: 2,
    comets: 2,
    jobs: 2,
    env: { ...env, IM_KAFKA_PARTITIONS: '8', IM_REGISTRY_TTL_SEC: String(REGISTRY_TTL_SEC), IM_ROUTING_TTL_SEC: '30', IM_CHAT_RESEND_SCHEDULE_MS: '1000,2000,3000,5000' },
  });
  // Logic 1 serves discovery, the push API and registration; logic 2 is the one killed.
  traffic = new Traffic(cleanup, cluster.http);
  await traffic.setUp(2);
  traffic.start();
  // Warmed up: every sender has had acks (the first sends of a loaded machine take a while).
  const started = Date.now();
  while (!traffic.acksSince(started, 5)) await sleep(250);
});

after(async () => {
  await traffic?.stop();
  if (table.length === 0) return;
  const lines = render(table);
  console.log(`\n${lines}`);
  const dir = path.join(repoRoot, 'test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'chaos.md'), `# pnpm test:chaos, ${new Date().toISOString()}\n\n${lines}\n`);
  writeFileSync(path.join(dir, 'chaos.json'), `${JSON.stringify(table, null, 2)}\n`);
});

function render(rows: FaultFigures[]): string {
  const head = ['fault', 'acked', 'lost', 'dups', 'conv order', 'sender order', 'ack gap p50 ms', 'ack gap p99 ms', 'room 2xx', 'room refused', 'room 2xx undelivered'];
  const body = rows.map((r) => [r.fault, r.acked, r.lost, r.duplicates, r.convOrderViolations, r.senderOrderViolations, r.ackGapP50Ms, r.ackGapP99Ms, r.roomPushes2xx, r.roomPushesRefused, r.roomPushesUndelivered]);
  return [head, head.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/**
 * Injects a fault, heals it, waits until every sender has acks again and every device has every
 * acknowledged message of the window, then audits the window and asserts the promises.
 */
async function faultCase(name: string, inject: () => Promise<void>, healIt: () => Promise<void>): Promise<void> {
  try {
    await auditedFault(name, inject, healIt);
  } catch (error) {
    const processes = [...cluster.logics.map((l) => l.process), ...cluster.comets.map((c) => c.process), ...cluster.jobs];
    for (const p of processes) console.log(`--- ${p.name} (last lines)\n${p.tail(15)}`);
    throw error;
  }
}

async function auditedFault(name: string, inject: () => Promise<void>, healIt: () => Promise<void>): Promise<void> {
  const from = Date.now();
  await inject();
  await healIt();
  const healed = Date.now();
  const deadline = healed + SETTLE_MS;
  while (!traffic.acksSince(healed, 5) && Date.now() < deadline) await sleep(250);
  const to = Date.now();
  await traffic.settle(from, to, SETTLE_MS);
  const figures = traffic.figures(name, from, to);
  table.push(figures);
  console.log(JSON.stringify(figures));
  if (figures.lost > 0) console.log(`missing by device: ${JSON.stringify(traffic.missingByDevice(from, to))}`);
  assert.ok(figures.acked > 0, 'traffic was acknowledged during the window');
  assert.equal(figures.lost, 0, 'acknowledged messages lost');
  assert.equal(figures.duplicates, 0, 'app-visible duplicates');
  assert.equal(figures.convOrderViolations, 0, 'per-conversation order violations');
  assert.equal(figures.senderOrderViolations, 0, 'per-sender order violations');
  assert.ok(figures.ackGapP99Ms < ACK_GAP_BOUND_MS, `acks resumed within ${ACK_GAP_BOUND_MS} ms (p99 ${figures.ackGapP99Ms})`);
}

const pushTopic = () => `${cluster.namespace}-push`;

describe('faults under steady chat and room traffic, one at a time, then healed', { timeout: 840_000 }, () => {
  it('no fault (baseline of the same window)', () => faultCase('none (baseline, 10 s)', () => sleep(10_000), async () => undefined));

  it('SIGKILL a logic', () =>
    faultCase(
      'SIGKILL logic',
      async () => {
        const victim = cluster.logics.splice(1, 1)[0]!;
        victim.process.kill('SIGKILL');
        await victim.process.exited;
      },
      async () => void (await cluster.addLogic({}, 180_000)),
    ));

  it('SIGKILL a job', () =>
    faultCase(
      'SIGKILL job',
      async () => {
        const victim = cluster.jobs.shift()!;
        victim.kill('SIGKILL');
        await victim.exited;
      },
      async () => void (await cluster.addJob({}, 180_000)),
    ));

  it('SIGKILL a comet', () =>
    faultCase(
      'SIGKILL comet',
      async () => {
        const victim = cluster.comets.shift()!;
        victim.process.kill('SIGKILL');
        await victim.process.exited;
        await sleep(2000);
      },
      async () => void (await cluster.addComet({}, 180_000)),
    ));

  it('SIGSTOP a comet past its lease, then SIGCONT', () => {
    const victim = cluster.comets[0]!;
    return faultCase(
      `SIGSTOP comet ${2 * REGISTRY_TTL_SEC} s`,
      async () => {
        victim.process.kill('SIGSTOP');
        await sleep(2 * REGISTRY_TTL_SEC * 1000);
      },
      async () => {
        victim.process.kill('SIGCONT');
      },
    );
  });

  it('SIGKILL the Kafka broker leading partition 0', async () => {
    const leader = await kafkaLeader(env.IM_KAFKA_BROKERS!, pushTopic());
    await faultCase(
      `SIGKILL Kafka leader (${leader})`,
      async () => {
        signal(leader, 'SIGKILL');
        await sleep(5000);
      },
      heal,
    );
  });

  it('SIGSTOP a Kafka broker past its session timeout, then SIGCONT', async () => {
    const leader = await kafkaLeader(env.IM_KAFKA_BROKERS!, pushTopic());
    await faultCase(
      `SIGSTOP Kafka leader (${leader}) 15 s`,
      async () => {
        signal(leader, 'SIGSTOP');
        await sleep(15_000);
      },
      async () => {
        signal(leader, 'SIGCONT');
        await heal();
      },
    );
  });

  it('SIGKILL a Redis primary (its replica is promoted)', async () => {
    const primary = await redisPrimary(REDIS_SEED);
    await faultCase(
      `SIGKILL Redis primary (${primary})`,
      async () => {
        signal(primary, 'SIGKILL');
        await awaitRedisPromotion(REDIS_SEED, primary);
      },
      heal,
    );
  });

  it('SIGKILL an etcd follower', async () => {
    const { followers } = await etcdMembers(env.IM_ETCD_ENDPOINTS!);
    const victim = followers[0]!;
    await faultCase(
      `SIGKILL etcd follower (${victim})`,
      async () => {
        signal(victim, 'SIGKILL');
        await sleep(5000);
      },
      heal,
    );
  });

  it('SIGKILL the etcd leader', async () => {
    const { leader } = await etcdMembers(env.IM_ETCD_ENDPOINTS!);
    await faultCase(
      `SIGKILL etcd leader (${leader})`,
      async () => {
        signal(leader, 'SIGKILL');
        await sleep(5000);
      },
      heal,
    );
  });

  it('restart MariaDB (SIGKILL, then start again)', () =>
    faultCase(
      'SIGKILL + restart MariaDB',
      async () => {
        signal('mysql', 'SIGKILL');
        await sleep(2000);
      },
      heal,
    ));
});
