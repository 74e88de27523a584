import { Op } from '@imcluster/protocol';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@imcluster/common';
import type { PushService } from '../push.ts';

/**
 * How long send() waits for the queue. Normally it has taken the notice long before, so a caller
 * that answers afterwards has its notices on their way; when the queue is down (a push then takes
 * up to ~20 s to fail) the caller answers anyway and the push finishes, or fails, on its own.
 */
const SEND_WAIT_MS = 2_000;

/** What changed, as the JSON body of an op-30 packet (plus `ts`, ms since the epoch). */
export type Notice =
  | { type: 'friend_request'; from: number }
  | { type: 'friend_accepted'; from: number; by: number }
  | { type: 'friend_removed'; user: number; by: number }
  | { type: 'group_created'; group: number; by: number }
  | { type: 'group_member_added'; group: number; user: number; role: 'admin' | 'member'; by: number }
  | { type: 'group_member_removed'; group: number; user: number; by: number }
  | { type: 'group_role_changed'; group: number; user: number; role: 'admin' | 'member'; by: number }
  | { type: 'group_member_left'; group: number; user: number }
  | { type: 'group_dissolved'; group: number; by: number };

/**
 * Announces social changes to every connected device of the users concerned, through the push
 * queue, past their accept filters. Best effort by design: the change is stored before it is
 * announced, so a push the queue refused is logged and the caller still succeeds; clients catch
 * up by reading the lists again after a reconnect.
 */
export class Notices {
  readonly #push: PushService;
  readonly #logger: Logger;
  readonly #maxTargets: number;

  /** `maxTargets`: the push service's receiver limit per call; larger audiences go in chunks. */
  constructor(push: PushService, logger: Logger, maxTargets: number) {
    this.#push = push;
    this.#logger = logger;
    this.#maxTargets = maxTargets;
  }

  /** Resolves once the queue took the notice, its failure was logged, or SEND_WAIT_MS passed; never rejects. */
  async send(users: readonly number[], notice: Notice): Promise<void> {
    const pushing = this.#pushAll([...new Set(users)], notice);
    const timer = new AbortController();
    const waited = sleep(SEND_WAIT_MS, undefined, { ref: false, signal: timer.signal }).catch(() => undefined);
    await Promise.race([pushing, waited]);
    timer.abort();
  }

  async #pushAll(mids: number[], notice: Notice): Promise<void> {
    const body = Buffer.from(JSON.stringify({ ...notice, ts: Date.now() }));
    for (let i = 0; i < mids.length; i += this.#maxTargets) {
      const chunk = mids.slice(i, i + this.#maxTargets);
      try {
        await this.#push.push({ target: { type: 'MIDS', mids: chunk }, operation: Op.SystemNotice, body, force: true });
      } catch (error) {
        this.#logger.warn({ err: error, notice: notice.type, receivers: chunk.length }, 'system notice not pushed; the change itself is stored');
      }
    }
  }
}
