import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { waitFor } from './helpers.ts';

/** Whether an `etcd` binary is on PATH (the outage tests need their own server to kill). */
export function etcdInstalled(): boolean {
  return spawnSync('etcd', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * A private single-member etcd on free ports, for tests that stop and restart the server: never
 * the shared one other tests and processes use.
 */
export class EtcdProcess {
  readonly #ports: { client: number; peer: number };
  #dataDir: string;
  #child: ChildProcess | undefined;

  private constructor(ports: { client: number; peer: number }) {
    this.#ports = ports;
    this.#dataDir = mkdtempSync(join(tmpdir(), 'etcd-test-'));
  }

  static async create(): Promise<EtcdProcess> {
    return new EtcdProcess({ client: await freePort(), peer: await freePort() });
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.#ports.client}`;
  }

  /** Starts the server (on the same data unless `wipe`) and waits until it answers. */
  async start(options: { wipe?: boolean } = {}): Promise<void> {
    if (options.wipe) {
      rmSync(this.#dataDir, { recursive: true, force: true });
      this.#dataDir = mkdtempSync(join(tmpdir(), 'etcd-test-'));
    }
    const peer = `http://127.0.0.1:${this.#ports.peer}`;
    this.#child = spawn(
      'etcd',
      [
        '--name', 'outage', '--data-dir', this.#dataDir,
        '--listen-client-urls', this.endpoint, '--advertise-client-urls', this.endpoint,
        '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer,
        '--initial-cluster', `outage=${peer}`,
      ],
      { stdio: 'ignore' },
    );
    const probe = new Etcd3({ hosts: this.endpoint });
    try {
      await waitFor('private etcd to answer', () => probe.get('probe').then(() => true, () => false), 15_000);
    } finally {
      probe.close();
    }
  }

  /** SIGKILL: the server vanishes without a goodbye, as in a crash or a partition. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.#dataDir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
