import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { eventually, repoRoot } from '../helpers/processes.ts';

const run = promisify(execFile);
const HA_SCRIPT = path.join(repoRoot, 'scripts/infra/ha.sh');
const RUN_DIR = path.join(repoRoot, '.infra/ha/run');

/** The IM_* settings of the HA infrastructure, as `ha.sh env` prints them. */
export async function haEnv(): Promise<Record<string, string>> {
  const { stdout } = await run('bash', [HA_SCRIPT, 'env']);
  return Object.fromEntries(stdout.trim().split('\n').map((line) => line.split('=', 2) as [string, string]));
}

/** Starts every member that is not running (ha.sh up is idempotent) and waits until all answer. */
export async function heal(): Promise<void> {
  await run('bash', [HA_SCRIPT, 'up'], { timeout: 300_000 });
}

/** The pid of an HA member (etcd1, kafka2, redis7101, mysql...). */
export function memberPid(name: string): number {
  return Number(readFileSync(path.join(RUN_DIR, `${name}.pid`), 'utf8').trim());
}

export function signal(name: string, sig: NodeJS.Signals): void {
  process.kill(memberPid(name), sig);
}

/** The Kafka member (kafka1..3) that leads partition 0 of `topic`. */
export async function kafkaLeader(brokers: string, topic: string): Promise<string> {
  const admin = new Kafka({ brokers: brokers.split(','), clientId: 'chaos', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const leader = topics[0]?.partitions.find((p) => p.partitionId === 0)?.leader;
    if (leader === undefined || leader < 0) throw new Error(`no leader for ${topic}/0`);
    return `kafka${leader}`;
  } finally {
    await admin.disconnect();
  }
}

interface EtcdStatus {
  Endpoint: string;
  Status: { header: { member_id: number }; leader: number };
}

/** The etcd members (etcd1..3) that answer, the leader first. */
export async function etcdMembers(endpoints: string): Promise<{ leader: string; followers: string[] }> {
  const list = endpoints.split(',');
  const { stdout } = await run('etcdctl', [`--endpoints=${endpoints}`, '--command-timeout=3s', 'endpoint', 'status', '-w', 'json'], { env: { ...process.env, ETCDCTL_API: '3' } }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '[]' }),
  );
  const statuses = JSON.parse(stdout) as EtcdStatus[];
  const name = (s: EtcdStatus) => `etcd${list.indexOf(s.Endpoint) + 1}`;
  const leader = statuses.find((s) => s.Status.leader === s.Status.header.member_id);
  if (!leader) throw new Error('no etcd leader');
  return { leader: name(leader), followers: statuses.filter((s) => s !== leader).map(name) };
}

/** `cluster nodes` as seen by the node on `port`: address port, role, failed or not. */
async function redisNodes(port: number): Promise<{ port: number; master: boolean; failed: boolean }[]> {
  const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'nodes'], { timeout: 5_000 });
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [, address = '', flags = ''] = line.split(' ');
      return { port: Number(address.split('@')[0]!.split(':')[1]), master: flags.includes('master'), failed: /fail(?!\?)/.test(flags) };
    });
}

/** A Redis primary of the cluster (redis7101...) other than the node asked. */
export async function redisPrimary(seedPort: number): Promise<string> {
  const primary = (await redisNodes(seedPort)).find((n) => n.master && !n.failed && n.port !== seedPort);
  if (!primary) throw new Error('no Redis primary');
  return `redis${primary.port}`;
}

/** Waits until the cluster, seen from `seedPort`, has marked `name` failed and has 3 live primaries again. */
export async function awaitRedisPromotion(seedPort: number, name: string): Promise<void> {
  const port = Number(name.replace('redis', ''));
  await eventually(
    async () => {
      const nodes = await redisNodes(seedPort);
      return nodes.some((n) => n.port === port && n.failed) && nodes.filter((n) => n.master && !n.failed).length === 3;
    },
    `replica of ${name} promoted`,
    60_000,
    250,
  );
}
