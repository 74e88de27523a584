import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createLogger } from '@imcluster/common';
import { Metrics } from '@imcluster/metrics';
import { decodePushMsg, type PushMsg__Output } from '@imcluster/proto';
import type { Producer, QueueMessage } from '@imcluster/queue';
import { SqliteStorage, StorageError, type Storage } from '@imcluster/storage';
import { ChatService, type ChatOptions } from '../src/chat/chat_service.ts';
import { PushService } from '../src/push.ts';
import { Groups } from '../src/social/groups.ts';
import { Notices } from '../src/social/notices.ts';

export const logger = createLogger('logic-test', process.env.IM_LOG_LEVEL ?? 'silent');

/** Where a test's op-7 bodies come from. */
export const ORIGIN = { server: 'comet-1', transport: 'ws', clientAddress: '127.0.0.1' };

const TOPIC = 'push';

/** The real SQLite storage, migrated, in a directory of its own (on tmpfs where there is one) removed after the test. */
export async function openStorage(t: TestContext): Promise<Storage> {
  const dir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'imcluster-logic-'));
  const storage = new SqliteStorage({ url: `file:${join(dir, 'im.db')}`, logger });
  t.after(async () => {
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  });
  await storage.migrate();
  return storage;
}

export interface RecordedPush<T> {
  keys: string[];
  mids: number[];
  force: boolean;
  chat: { conv: string; seq: number } | null;
  body: T;
}

/**
 * The queue port as PushService sees it: records what was produced, decoded, in order. While
 * `failing` is set every send rejects, as a queue outage does.
 */
export class RecordingProducer implements Producer {
  readonly sent: { key: string; push: PushMsg__Output }[] = [];
  failing = false;

  async send(topic: string, messages: QueueMessage[]): Promise<void> {
    if (this.failing) throw new Error('queue unavailable (test)');
    if (topic !== TOPIC) throw new Error(`unexpected topic ${topic}`);
    for (const { key, value } of messages) this.sent.push({ key, push: decodePushMsg(value) });
  }

  async close(): Promise<void> {}

  /**
   * The pushes of operation `op`, in order, each with its JSON body, every receiver, the queue
   * keys it went under (a push to several users without an order key is one message per user) and
   * the stored chat message it carries (null for other pushes).
   */
  pushes<T = Record<string, unknown>>(op: number): RecordedPush<T>[] {
    const byId = new Map<string, RecordedPush<T>>();
    for (const { key, push } of this.sent) {
      if (push.operation !== op) continue;
      const seen = byId.get(push.id);
      if (seen) {
        seen.keys.push(key);
        seen.mids.push(...push.mids);
      } else {
        const chat = push.chat ? { conv: push.chat.conv, seq: push.chat.seq } : null;
        byId.set(push.id, { keys: [key], mids: [...push.mids], force: push.force, chat, body: JSON.parse(push.msg.toString('utf8')) as T });
      }
    }
    return [...byId.values()];
  }
}

/** `storage` with one method rejecting as an unreachable database does; the rest unchanged. */
export function failing(storage: Storage, method: keyof Storage): Storage {
  return new Proxy(storage, {
    get(target, property) {
      if (property === method) return () => Promise.reject(new StorageError('UNAVAILABLE', 'database unreachable (test)'));
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function pushService(producer: Producer): PushService {
  return new PushService(producer, TOPIC, { maxBody: 64 * 1024, maxTargets: 1000 }, new Metrics().logic);
}

/** `count` new users; names are random so tests never collide. */
export async function createUsers(storage: Storage, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) ids.push((await storage.createUser(`u-${randomBytes(6).toString('hex')}`, 'hash')).id);
  return ids;
}

export interface ChatFixture {
  chat: ChatService;
  storage: Storage;
  producer: RecordingProducer;
  /**
   * Calls ChatService.handle as `mid` on a connection of `device` ("" for none) with a JSON (or
   * raw string) body, and parses the reply body.
   */
  call<T = Record<string, unknown>>(mid: number, op: number, body: object | string, device?: string): Promise<{ op: number; body: T | undefined }>;
}

export type ChatFixtureOptions = Partial<Omit<ChatOptions, 'storage' | 'push' | 'logger' | 'metrics'>> & {
  /** What the service sees of the storage (to inject a fault); the fixture's `storage` stays the real one. */
  seen?: (storage: Storage) => Storage;
};

/** A ChatService on the real SQLite storage and a recording queue producer. */
export async function chatFixture(t: TestContext, { seen = (s) => s, ...options }: ChatFixtureOptions = {}): Promise<ChatFixture> {
  const storage = await openStorage(t);
  const producer = new RecordingProducer();
  const chat = new ChatService({
    storage: seen(storage),
    push: pushService(producer),
    logger,
    maxPayload: 3000,
    recallWindowMs: 120_000,
    friendsOnly: false,
    syncPageBytes: 64 * 1024,
    metrics: new Metrics().logic,
    ...options,
  });
  const call = async <T>(mid: number, op: number, body: object | string, device = '') => {
    const reply = await chat.handle({ mid, device }, op, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)));
    return { op: reply.op, body: reply.body.length > 0 ? (JSON.parse(reply.body.toString('utf8')) as T) : undefined };
  };
  return { chat, storage, producer, call };
}

/** Groups on the real SQLite storage; their notices (op 30) land in `producer`. */
export async function groupsFixture(t: TestContext): Promise<{ groups: Groups; storage: Storage; producer: RecordingProducer }> {
  const storage = await openStorage(t);
  const producer = new RecordingProducer();
  return { groups: new Groups(storage, new Notices(pushService(producer), logger), 1000), storage, producer };
}

/**
 * The code a refused call rejects with ('FORBIDDEN', 'NOT_FOUND', ...); fails when it resolves.
 * The one place that knows how domain errors carry their code.
 */
export async function refusal(call: Promise<unknown>): Promise<unknown> {
  const error: unknown = await call.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  return (error as { code?: unknown }).code;
}
