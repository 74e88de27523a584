import { Op, type Packet } from '@imcluster/protocol';
import { TestClient } from './client.ts';

export interface ChatView {
  conv: string;
  seq: number;
  msg_id: string;
  from: number;
  content_type: string;
  payload: string | null;
  ts: number;
  recalled?: boolean;
}

export interface SendAck {
  code: number;
  client_msg_id?: string;
  msg_id?: string;
  conv?: string;
  seq?: number;
  message?: string;
}

let counter = 0;

/** A chat-speaking wrapper over a TestClient (ops 4/5, 20, 21, 22/23). */
export class ChatClient {
  readonly client: TestClient;

  constructor(client: TestClient) {
    this.client = client;
  }

  /** `device`: the auth body's device_id (its own delivery cursors); none by default. */
  static async connect(kind: 'ws' | 'tcp', address: string, token: string, device?: string): Promise<ChatClient> {
    const client = await TestClient.connect(kind, address);
    const reply = await client.auth({ room_id: '', accepts: [], token, ...(device ? { device_id: device } : {}) });
    if (reply.code !== 0) throw new Error(`auth failed: ${JSON.stringify(reply)}`);
    return new ChatClient(client);
  }

  async send(to: number, payload: string, clientMsgId = `c${process.pid}-${++counter}`, extra: object = {}): Promise<SendAck> {
    return this.raw(JSON.stringify({ client_msg_id: clientMsgId, to: { type: 'user', id: to }, content_type: 'text', payload, ...extra }));
  }

  async sendToGroup(group: number, payload: string, clientMsgId = `g${process.pid}-${++counter}`): Promise<SendAck> {
    return this.raw(JSON.stringify({ client_msg_id: clientMsgId, to: { type: 'group', id: group }, payload }));
  }

  /**
   * Sends `count` messages to `to` without waiting for each ack, keeping up to `window` in flight
   * (ids `${prefix}-0`, `${prefix}-1`, ...); resolves with the acks in send order.
   */
  async pipeline(to: number, count: number, window: number, prefix = `p${process.pid}-${++counter}`): Promise<SendAck[]> {
    const acks: SendAck[] = [];
    const seqs: number[] = [];
    const sendNext = () => {
      const i = seqs.length;
      seqs.push(this.client.send(Op.SendMsg, JSON.stringify({ client_msg_id: `${prefix}-${i}`, to: { type: 'user', id: to }, payload: `m${i}` })));
    };
    while (seqs.length < Math.min(window, count)) sendNext();
    while (acks.length < count) {
      const wanted = seqs[acks.length];
      const reply = await this.client.next((p) => p.op === Op.SendMsgReply && p.seq === wanted, 30_000);
      acks.push(JSON.parse(reply.body.toString('utf8')) as SendAck);
      if (seqs.length < count) sendNext();
    }
    return acks;
  }

  async raw(body: string): Promise<SendAck> {
    const seq = this.client.send(Op.SendMsg, body);
    const reply = await this.client.next((p) => p.op === Op.SendMsgReply && p.seq === seq, 15_000);
    return JSON.parse(reply.body.toString('utf8')) as SendAck;
  }

  read(conv: string, seq: number): void {
    this.client.send(Op.ChatRead, JSON.stringify({ conv, seq }));
  }

  async recall(conv: string, seq: number): Promise<{ code: number; message?: string }> {
    const sent = this.client.send(Op.ChatRecall, JSON.stringify({ conv, seq }));
    const reply = await this.client.next((p) => p.op === Op.ChatRecallReply && p.seq === sent, 15_000);
    return JSON.parse(reply.body.toString('utf8'));
  }

  /** JSON bodies of the events of one op received so far (receipts 25, recalls 28). */
  events<T>(op: number): T[] {
    return this.client.received.filter((p) => p.op === op).map((p) => JSON.parse(p.body.toString('utf8')) as T);
  }

  async waitEvent<T>(op: number, match: (e: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events<T>(op).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no op-${op} event matching within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  ack(conv: string, seq: number): void {
    this.client.send(Op.ChatAck, JSON.stringify({ conv, seq }));
  }

  async sync(conv: string, after = 0, limit = 100): Promise<{ code: number; messages: ChatView[]; last_seq: number; read_seq: number; unread: number; more: boolean }> {
    const seq = this.client.send(Op.ChatSync, JSON.stringify({ conv, after, limit }));
    const reply = await this.client.next((p) => p.op === Op.ChatSyncReply && p.seq === seq, 15_000);
    return JSON.parse(reply.body.toString('utf8'));
  }

  /** Every page after `after` until `more` is false. */
  async syncAll(conv: string, after = 0): Promise<ChatView[]> {
    const all: ChatView[] = [];
    for (let from = after; ; ) {
      const page = await this.sync(conv, from, 100);
      all.push(...page.messages);
      if (!page.more || page.messages.length === 0) return all;
      from = page.messages.at(-1)!.seq;
    }
  }

  /** op-20 deliveries received so far, in arrival order. */
  delivered(conv?: string): ChatView[] {
    return this.client.received
      .filter((p: Packet) => p.op === Op.ChatMessage)
      .map((p) => JSON.parse(p.body.toString('utf8')) as ChatView)
      .filter((m) => !conv || m.conv === conv);
  }

  async waitDelivered(conv: string, distinctSeqs: number, timeoutMs = 30_000): Promise<ChatView[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.delivered(conv);
      if (new Set(got.map((m) => m.seq)).size >= distinctSeqs) return got;
      if (Date.now() > deadline) throw new Error(`expected ${distinctSeqs} distinct seqs in ${conv}, got ${new Set(got.map((m) => m.seq)).size}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.client.close();
  }
}

export function directConv(a: number, b: number): string {
  return a < b ? `u:${a}:${b}` : `u:${b}:${a}`;
}

/** 1..n */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** A call to logic's HTTP API as a user (token-authenticated). */
export async function asUser(http: string, token: string, method: string, path: string, body?: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${http}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
