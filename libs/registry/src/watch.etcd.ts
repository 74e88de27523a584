import type { Etcd3, IKeyValue, IWatchResponse, Watcher } from 'etcd3';
import type { Logger } from '@imcluster/common';
import type { ServiceInstance } from './registry.ts';
import { backoffDelay, pause } from './backoff.ts';
import { byId, decodeInstance } from './instance-codec.ts';
import { SerialQueue } from './serial-queue.ts';

export interface EtcdWatchOptions {
  client: Etcd3;
  prefix: string;
  onChange: (instances: ServiceInstance[]) => void | Promise<void>;
  logger: Logger;
  /** Deadline of the list call. */
  callTimeoutMs: number;
}

/**
 * Live view of one service prefix: a list at revision R, then an etcd watch from R + 1, so no
 * change falls between the two.
 *
 * etcd3's watcher reconnects by itself, but it can skip events when a stream breaks while it
 * replays, it stays silent when the revision it resumes from was compacted (it emits 'error' and
 * detaches), and after etcd is restored empty its revisions start over. So on any 'disconnected' or
 * 'error' we drop the watcher and resynchronise: list again, replace the state wholesale, watch from
 * the new revision. Events older than what a key's state already reflects are ignored.
 *
 * Everything (events, resyncs, callbacks) runs through one SerialQueue: callbacks never overlap.
 */
export class EtcdServiceWatch {
  readonly #options: EtcdWatchOptions;
  readonly #queue: SerialQueue;
  readonly #abort = new AbortController();
  readonly #instances = new Map<string, ServiceInstance>();
  /** Per key, the revision its current state (present or deleted) reflects. */
  readonly #revisions = new Map<string, bigint>();
  /** Revision of the last full list: the floor for keys not in #revisions. */
  #listRevision = 0n;
  #watcher: Watcher | undefined;
  #lastEmitted: string | undefined;
  #resyncScheduled = false;
  #closed = false;

  constructor(options: EtcdWatchOptions) {
    this.#options = options;
    this.#queue = new SerialQueue((err) => options.logger.error({ err: String(err), prefix: options.prefix }, 'registry watch task failed'));
  }

  /** Lists, starts watching and delivers the initial list; rejects when etcd cannot be read. */
  async start(): Promise<void> {
    let failure: unknown;
    await this.#queue.push(async () => {
      try {
        await this.#resync();
      } catch (err) {
        failure = err;
      }
    });
    if (failure !== undefined) {
      await this.close();
      throw failure;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
    this.#dropWatcher();
    await this.#queue.idle();
  }

  async #resync(): Promise<void> {
    this.#dropWatcher();
    const res = await this.#options.client
      .getAll()
      .prefix(this.#options.prefix)
      .options({ deadline: Date.now() + this.#options.callTimeoutMs })
      .exec();
    this.#replaceState(res.kvs, BigInt(res.header.revision));
    if (this.#closed) return;
    const watcher = await this.#options.client
      .watch()
      .prefix(this.#options.prefix)
      .startRevision(String(this.#listRevision + 1n))
      .create();
    if (this.#closed) {
      void watcher.cancel().catch(() => undefined);
      return;
    }
    this.#attach(watcher);
    await this.#emitIfChanged();
  }

  #replaceState(kvs: IKeyValue[], revision: bigint): void {
    this.#instances.clear();
    this.#revisions.clear();
    this.#listRevision = revision;
    for (const kv of kvs) {
      const key = kv.key.toString();
      this.#revisions.set(key, BigInt(kv.mod_revision));
      this.#store(key, kv);
    }
  }

  #attach(watcher: Watcher): void {
    this.#watcher = watcher;
    watcher.on('data', (res: IWatchResponse) => {
      if (watcher === this.#watcher) void this.#queue.push(() => this.#apply(res));
    });
    watcher.on('disconnected', (err: Error) => this.#lostTrack(watcher, err));
    watcher.on('error', (err: Error) => this.#lostTrack(watcher, err));
  }

  /** Cancels the current watcher; a listener stays on 'error' because an unhandled one would crash the process. */
  #dropWatcher(): void {
    const watcher = this.#watcher;
    if (!watcher) return;
    this.#watcher = undefined;
    watcher.removeAllListeners();
    watcher.on('error', () => undefined);
    void watcher.cancel().catch(() => undefined);
  }

  #lostTrack(watcher: Watcher, err: Error): void {
    if (watcher !== this.#watcher || this.#closed) return;
    this.#options.logger.warn({ prefix: this.#options.prefix, err: err.message }, 'registry watch interrupted, resynchronising');
    this.#dropWatcher();
    this.#scheduleResync();
  }

  /** Retries the resync with back-off until it succeeds or the watch is closed. */
  #scheduleResync(): void {
    if (this.#resyncScheduled) return;
    this.#resyncScheduled = true;
    void this.#queue.push(async () => {
      for (let attempt = 0; !this.#closed; attempt++) {
        try {
          await this.#resync();
          break;
        } catch (err) {
          const delay = backoffDelay(attempt);
          this.#options.logger.warn({ prefix: this.#options.prefix, attempt, delay, err: String(err) }, 'registry resync failed');
          await pause(delay, this.#abort.signal);
        }
      }
      this.#resyncScheduled = false;
    });
  }

  async #apply(res: IWatchResponse): Promise<void> {
    for (const event of res.events) {
      if (event.type === 'Put') this.#put(event.kv);
      else this.#delete(event.kv);
    }
    await this.#emitIfChanged();
  }

  #put(kv: IKeyValue): void {
    const key = kv.key.toString();
    if (!this.#isNewer(key, kv.mod_revision)) return;
    this.#revisions.set(key, BigInt(kv.mod_revision));
    this.#store(key, kv);
  }

  #store(key: string, kv: IKeyValue): void {
    const instance = decodeInstance(kv.value.toString());
    if (instance) this.#instances.set(key, instance);
    else {
      this.#instances.delete(key);
      this.#options.logger.warn({ key }, 'ignoring malformed registry entry');
    }
  }

  #delete(kv: IKeyValue): void {
    const key = kv.key.toString();
    if (!this.#isNewer(key, kv.mod_revision)) return;
    this.#revisions.set(key, BigInt(kv.mod_revision));
    this.#instances.delete(key);
  }

  #isNewer(key: string, revision: string): boolean {
    return BigInt(revision) > (this.#revisions.get(key) ?? this.#listRevision);
  }

  /** The first call always delivers (the initial list); later ones only when the list differs. */
  async #emitIfChanged(): Promise<void> {
    if (this.#closed) return;
    const list = [...this.#instances.values()].sort(byId);
    const text = JSON.stringify(list);
    if (text === this.#lastEmitted) return;
    this.#lastEmitted = text;
    try {
      await this.#options.onChange(list);
    } catch (err) {
      this.#options.logger.error({ err: String(err), prefix: this.#options.prefix }, 'registry watch callback failed');
    }
  }
}
