import { randomUUID } from 'node:crypto';
import { ImError } from '@imcluster/common';
import { encodePushMsg, type PushMsg } from '@imcluster/proto';
import type { LogicMetrics } from '@imcluster/metrics';
import { isRoomId, ROOM_ID_RULE } from '@imcluster/protocol';
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
  /** Set on chat message deliveries: comets re-send them to each connection until it acknowledges. */
  chat?: { conv: string; seq: number };
}

/** The fastest broadcast pacing, connections per second: the int32 it travels in (push.proto). */
export const MAX_BROADCAST_SPEED = 0x7fff_ffff;

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

  /**
   * Resolves with the push id once the queue durably accepted it. Rejects with INVALID or
   * TOO_LARGE when refused before reaching the queue, UNAVAILABLE when the queue did not accept
   * it: the caller must not assume it will be delivered.
   */
  async push(request: PushRequest): Promise<string> {
    this.#validate(request);
    const id = randomUUID();
    const base = { operation: request.operation, msg: request.body, id, ts: Date.now(), force: request.force ?? false, chat: request.chat ?? null };
    const produced = this.#metrics.produceSeconds.startTimer();
    try {
      const messages = request.orderKey ? [{ key: request.orderKey, value: encodePushMsg({ ...base, ...asOne(request.target) }) }] : toMessages(request.target, base);
      await this.#producer.send(this.#topic, messages);
    } catch (error) {
      this.#metrics.produceFailure(error instanceof QueueError ? error.reason : 'UNKNOWN').inc();
      throw new ImError('UNAVAILABLE', 'push queue unavailable; the push was not accepted', { cause: error });
    }
    produced();
    this.#metrics.pushes(request.target.type.toLowerCase()).inc();
    return id;
  }

  /**
   * An internal push to any number of users, in chunks of the receiver limit handed to the queue
   * one after the other (with an `orderKey`, they stay in order). Rejects at the first chunk the
   * queue did not accept.
   */
  async pushToUsers(mids: readonly number[], request: Omit<PushRequest, 'target'>): Promise<void> {
    for (let i = 0; i < mids.length; i += this.#limits.maxTargets) {
      await this.push({ ...request, target: { type: 'MIDS', mids: mids.slice(i, i + this.#limits.maxTargets) } });
    }
  }

  #validate({ target, operation, body }: PushRequest): void {
    if (!Number.isInteger(operation) || operation < 0 || operation > 0xffffffff) throw new ImError('INVALID', 'operation must be a non-negative integer');
    if (body.length > this.#limits.maxBody) throw new ImError('TOO_LARGE', `body over ${this.#limits.maxBody} bytes`);
    const count = target.type === 'KEYS' ? target.keys.length : target.type === 'MIDS' ? target.mids.length : 1;
    if (count === 0) throw new ImError('INVALID', 'no receivers given');
    if (count > this.#limits.maxTargets) throw new ImError('INVALID', `more than ${this.#limits.maxTargets} receivers`);
    if (target.type === 'ROOM' && !isRoomId(target.room)) throw new ImError('INVALID', ROOM_ID_RULE);
    if (target.type === 'BROADCAST' && !(Number.isInteger(target.speed) && target.speed >= 0 && target.speed <= MAX_BROADCAST_SPEED)) {
      throw new ImError('INVALID', `speed must be an integer from 0 to ${MAX_BROADCAST_SPEED}`);
    }
  }
}

type Base = Pick<PushMsg, 'operation' | 'msg' | 'id' | 'ts' | 'force' | 'chat'>;

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
