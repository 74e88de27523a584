import type { Etcd3, Lease } from 'etcd3';
import type { Logger } from '@imcluster/common';
import type { Registration } from './registry.ts';
import { backoffDelay, pause } from './backoff.ts';

export interface EtcdRegistrationOptions {
  client: Etcd3;
  key: string;
  value: string;
  ttlSec: number;
  logger: Logger;
}

/**
 * One instance kept in etcd under its own lease.
 *
 * etcd3's Lease keeps itself alive and emits 'lost' when etcd says the lease is gone (expired
 * during a partition, revoked, etcd restarted empty) or when it could not reach etcd for twice
 * the TTL. A lost lease never comes back, so we grant a new one and write the key again, retrying
 * with back-off until it works or the registration is closed.
 */
export class EtcdRegistration implements Registration {
  readonly #client: Etcd3;
  readonly #key: string;
  readonly #value: string;
  readonly #ttlSec: number;
  readonly #logger: Logger;
  readonly #abort = new AbortController();
  #lease: Lease | undefined;
  #recovering: Promise<void> | undefined;
  #closed = false;
  /** When etcd last confirmed the lease (the put, then each keepalive answer). */
  #confirmedAt = 0;

  constructor(options: EtcdRegistrationOptions) {
    this.#client = options.client;
    this.#key = options.key;
    this.#value = options.value;
    this.#ttlSec = options.ttlSec;
    this.#logger = options.logger;
  }

  /** First registration: fails loudly, so a process that cannot register does not start half-way. */
  async start(): Promise<void> {
    await this.#grantAndPut();
  }

  /**
   * Held while the lease is ours and etcd confirmed it within the last 80% of the TTL (keepalives
   * go every third of it): an unreachable etcd shows within a TTL, long before the lease is lost.
   */
  get held(): boolean {
    const lease = this.#lease;
    if (this.#closed || this.#recovering || !lease || lease.revoked()) return false;
    return Date.now() - this.#confirmedAt < this.#ttlSec * 800;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
    await this.#recovering;
    if (this.#lease) await this.#revoke(this.#lease);
    this.#lease = undefined;
  }

  /** Grants a fresh lease and writes the key under it; listens for loss only once the key is in place. */
  async #grantAndPut(): Promise<void> {
    const lease = this.#client.lease(this.#ttlSec);
    this.#lease = lease;
    try {
      await lease.put(this.#key).value(this.#value).options({ deadline: this.#deadline() }).exec();
    } catch (err) {
      void this.#revoke(lease);
      throw err;
    }
    // 'lost' may already have fired while the put was in flight, before this listener existed.
    if (lease.revoked()) throw new Error('lease lost during registration');
    this.#confirmedAt = Date.now();
    lease.on('keepaliveSucceeded', () => {
      this.#confirmedAt = Date.now();
    });
    lease.once('lost', (err) => this.#onLost(lease, err));
  }

  #onLost(lease: Lease, err: Error): void {
    if (this.#closed || lease !== this.#lease || this.#recovering) return;
    this.#logger.warn({ key: this.#key, err: err.message }, 'registry lease lost, registering again');
    this.#recovering = this.#recover().finally(() => {
      this.#recovering = undefined;
    });
  }

  async #recover(): Promise<void> {
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        await this.#grantAndPut();
        this.#logger.info({ key: this.#key, attempt }, 'registered again after lease loss');
        return;
      } catch (err) {
        const delay = backoffDelay(attempt);
        this.#logger.warn({ key: this.#key, attempt, delay, err: String(err) }, 'registration retry failed');
        await pause(delay, this.#abort.signal);
      }
    }
  }

  /**
   * Best effort and quick, so shutdown does not hang on a dead etcd: the lease, no longer kept
   * alive, expires within the TTL anyway.
   */
  async #revoke(lease: Lease): Promise<void> {
    try {
      await lease.revoke({ deadline: Date.now() + 2_000 });
    } catch (err) {
      this.#logger.warn({ key: this.#key, err: String(err) }, 'lease revoke failed; it will expire by itself');
    }
  }

  /** Writes give up after a TTL (at least 3 s) instead of hanging through an outage. */
  #deadline(): number {
    return Date.now() + Math.max(3_000, this.#ttlSec * 1_000);
  }
}
