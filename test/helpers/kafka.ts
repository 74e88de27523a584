import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Cleanup } from './cleanup.ts';
import { eventually, freePort, repoRoot } from './processes.ts';

const run = promisify(execFile);
const LIBS = path.join(repoRoot, '.infra/kafka/libs');
const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 15_000;

function hasKafkaJars(): boolean {
  return existsSync(LIBS) && readdirSync(LIBS).some((jar) => jar.startsWith('kafka_'));
}

/**
 * A single-node KRaft Kafka broker of the test's own, on the jars `pnpm infra:up` fetched. A TCP
 * proxy cannot fake a Kafka outage (clients reconnect to the address the broker advertises), so a
 * test that takes Kafka away stops a broker nobody else uses. Data survives stop()/start().
 */
export class PrivateKafka {
  readonly brokers: string;
  readonly #dir: string;
  #jvm: ChildProcess | undefined;

  private constructor(dir: string, port: number) {
    this.#dir = dir;
    this.brokers = `127.0.0.1:${port}`;
  }

  static async start(cleanup: Cleanup): Promise<PrivateKafka> {
    // The jars are this checkout's: infrastructure already running from elsewhere (another clone)
    // means `pnpm test` never ran this checkout's infra:up, which fetches them.
    if (!hasKafkaJars()) await run('bash', [path.join(repoRoot, 'scripts/infra/up.sh'), '--kafka-libs'], { timeout: 600_000 });
    if (!hasKafkaJars()) throw new Error(`PrivateKafka: no Kafka jars in ${LIBS}; run \`pnpm infra:up\` once to fetch them`);
    const dir = await mkdtemp(path.join(tmpdir(), 'imcluster-kafka-'));
    const [port, controllerPort] = [await freePort(), await freePort()];
    const kafka = new PrivateKafka(dir, port);
    cleanup.after(async () => {
      await kafka.#halt('SIGKILL', 0);
      await rm(dir, { recursive: true, force: true });
    });
    await kafka.#configure(port, controllerPort);
    const clusterId = randomBytes(16).toString('base64url');
    await run('java', [...kafka.#jvmArgs(), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', kafka.#properties], { timeout: READY_TIMEOUT_MS });
    await kafka.start();
    return kafka;
  }

  /** Launches the broker (again) and waits until it answers a metadata request. */
  async start(): Promise<void> {
    if (this.#jvm) throw new Error('PrivateKafka: already running');
    const jvm = spawn('java', [...this.#jvmArgs(), 'kafka.Kafka', this.#properties], { stdio: 'ignore' });
    this.#jvm = jvm;
    const exited = () => jvm.exitCode !== null || jvm.signalCode !== null;
    await eventually(async () => exited() || (await this.#answers()), `private Kafka at ${this.brokers}`, READY_TIMEOUT_MS, 500);
    if (exited()) throw new Error(`PrivateKafka exited (${String(jvm.exitCode ?? jvm.signalCode)}) before it was ready; see ${path.join(this.#dir, 'server.log')}`);
  }

  /** SIGTERM (a clean shutdown, as an operator would do it); SIGKILL if it lingers 15 s. */
  stop(): Promise<void> {
    return this.#halt('SIGTERM', STOP_GRACE_MS);
  }

  async #halt(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    const jvm = this.#jvm;
    this.#jvm = undefined;
    if (!jvm || jvm.exitCode !== null || jvm.signalCode !== null) return;
    const exited = once(jvm, 'exit');
    jvm.kill(signal);
    const timer = setTimeout(() => jvm.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** The same probe `pnpm infra:up` uses: a metadata answer listing a live broker. */
  async #answers(): Promise<boolean> {
    await run(process.execPath, [path.join(repoRoot, 'scripts/infra/kafka-probe.mjs'), this.brokers], { timeout: 10_000 });
    return true;
  }

  get #properties(): string {
    return path.join(this.#dir, 'server.properties');
  }

  #jvmArgs(): string[] {
    return ['-Xms128m', '-Xmx512m', '-XX:+UseG1GC', '-Djava.awt.headless=true', `-Dlog4j.configuration=file:${path.join(this.#dir, 'log4j.properties')}`, '-cp', `${LIBS}/*`];
  }

  async #configure(port: number, controllerPort: number): Promise<void> {
    const properties = [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      `log.dirs=${path.join(this.#dir, 'data')}`,
      'num.partitions=4',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=4',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'auto.create.topics.enable=false',
      'group.initial.rebalance.delay.ms=0',
    ];
    const log4j = [
      'log4j.rootLogger=WARN, file',
      'log4j.appender.file=org.apache.log4j.FileAppender',
      `log4j.appender.file.File=${path.join(this.#dir, 'server.log')}`,
      'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    ];
    await writeFile(this.#properties, `${properties.join('\n')}\n`);
    await writeFile(path.join(this.#dir, 'log4j.properties'), `${log4j.join('\n')}\n`);
  }
}
