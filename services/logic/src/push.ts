import { randomUUID } from 'node:crypto';
import { encodePushMsg, type PushMsg } from '@imcluster/proto';
import type { LogicMetrics } from '@imcluster/metrics';
import { QueueError, type Producer, type QueueMessage } from '@imcluster/queue';

export type PushTarget =
  | { type: 'KEYS'; keys: string[] }
  | { type: 'MIDS'; mids: number[] }
  | { type: 'ROOM'; room: string }
  | { type: 'BROADCAST'; speed: number };

export interface PushRequest {
  target: PushTarget;
  operation: number;
  body: Buffer;
  /** Bypass receivers' `accepts` filter (system messages). */
  force?: boolean;
  /**
   * Send all receivers in one queue message with this key instead of one message per receiver,
   * so pushes sharing the key (e.g. a chat conversation) stay in order for every receiver.
   */
  orderKey?: string;
}

/** A push refused before it reached the queue, with the reason a caller can fix. */
export class PushRejected extends Error {}

/** The queue did not durably accept the push: the caller must not assume it will be delivered. */
export class PushNotAccepted extends Error {
  constructor(cause: unknown) {
    super('push queue unavailable; the push was not accepted', { cause });
  }
}

export interface PushLimits {
  maxBody: number;
  maxTargets: number;
}

/**
 * Accepts pushes from business backends and internal callers and produces them to the queue.
 * Each key and each user gets its own Kafka message keyed by it, so the order of pushes to one
 * user, one connection or one room is the order they were accepted in.
 */
export class PushService {
  readonly #producer: Producer;
  readonly #topic: string;
  readonly #limits: PushLimits;
  readonly #metrics: LogicMetrics;

  constructor(producer: Producer, topic: string, limits: PushLimits, metrics: LogicMetrics) {
    this.#producer = producer;
    this.#topic = topic;
    this.#limits = limits;
    this.#metrics = metrics;
  }

  /** Resolves with the push id once the queue durably accepted it; rejects otherwise. */
  async push(request: PushRequest): Promise<string> {
    this.#validate(request);
    const id = randomUUID();
    const base = { operation: request.operation, msg: request.body, id, ts: Date.now(), force: request.force ?? false };
    const produced = this.#metrics.produceSeconds.startTimer();
    try {
      const messages = request.orderKey ? [{ key: request.orderKey, value: encodePushMsg({ ...base, ...asOne(request.target) }) }] : toMessages(request.target, base);
      await this.#producer.send(this.#topic, messages);
    } catch (error) {
      this.#metrics.produceFailure(error instanceof QueueError ? error.code : 'UNKNOWN').inc();
      throw new PushNotAccepted(error);
    }
    produced();
    this.#metrics.pushes(request.target.type.toLowerCase()).inc();
    return id;
  }

  #validate({ target, operation, body }: PushRequest): void {
    if (!Number.isInteger(operation) || operation < 0 || operation > 0xffffffff) throw new PushRejected('operation must be a non-negative integer');
    if (body.length > this.#limits.maxBody) throw new PushRejected(`body over ${this.#limits.maxBody} bytes`);
    const count = target.type === 'KEYS' ? target.keys.length : target.type === 'MIDS' ? target.mids.length : 1;
    if (count === 0) throw new PushRejected('no receivers given');
    if (count > this.#limits.maxTargets) throw new PushRejected(`more than ${this.#limits.maxTargets} receivers`);
    if (target.type === 'ROOM' && !target.room) throw new PushRejected('room is required');
  }
}

type Base = Pick<PushMsg, 'operation' | 'msg' | 'id' | 'ts' | 'force'>;

function asOne(target: PushTarget): Pick<PushMsg, 'type' | 'keys' | 'mids' | 'room' | 'speed'> {
  switch (target.type) {
    case 'KEYS':
      return { type: 'KEYS', keys: target.keys };
    case 'MIDS':
      return { type: 'MIDS', mids: target.mids };
    case 'ROOM':
      return { type: 'ROOM', room: target.room };
    case 'BROADCAST':
      return { type: 'BROADCAST', speed: target.speed };
  }
}

function toMessages(target: PushTarget, base: Base): QueueMessage[] {
  switch (target.type) {
    case 'KEYS':
      return target.keys.map((key) => ({ key: `key:${key}`, value: encodePushMsg({ ...base, type: 'KEYS', keys: [key] }) }));
    case 'MIDS':
      return target.mids.map((mid) => ({ key: `mid:${mid}`, value: encodePushMsg({ ...base, type: 'MIDS', mids: [mid] }) }));
    case 'ROOM':
      return [{ key: `room:${target.room}`, value: encodePushMsg({ ...base, type: 'ROOM', room: target.room }) }];
    case 'BROADCAST':
      return [{ key: 'broadcast', value: encodePushMsg({ ...base, type: 'BROADCAST', speed: target.speed }) }];
  }
}
