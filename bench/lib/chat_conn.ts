import WebSocket from 'ws';
import { decodePackets, encodePacket, Op, unpackBatch, type Packet } from '@imcluster/protocol';

const MAX_BODY = 16 * 1024 * 1024;

export type Target = { type: 'user' | 'group'; id: number };

/** An op 5 as the bench reads it. */
export interface SendReply {
  code: number;
  conv?: string;
  seq?: number;
}

/** A send waiting for its op 5; `n` numbers the connection's sends from 1, in send order. */
export interface PendingSend {
  n: number;
  tag: string;
  sentAtMs: number;
  sink: ReplySink;
}

/** Where the outcome of one send goes (the phase that sent it, even if it ended meanwhile). */
export interface ReplySink {
  replied(conn: ChatConn, send: PendingSend, reply: SendReply, nowMs: number): void;
  expired(conn: ChatConn, send: PendingSend): void;
}

/** An op 20 as the receiving device saw it: `duplicate` = this (conv, seq) came before. */
export interface Received {
  conv: string;
  seq: number;
  from: number;
  payload: string;
  duplicate: boolean;
  /** First receipt, but a later send of the same sender into this conversation arrived before it. */
  reordered: boolean;
}

/** What one device holds of one conversation, as a client keeps it (docs/chat.md). */
class ConvState {
  seen = new Uint8Array(1024);
  /** Highest seq held with none missing below it. */
  contiguous = 0;
  acked = 0;
  /** Per sender: the highest send number (`n` in the payload) received so far. */
  readonly latestN = new Map<number, number>();

  /** Marks `seq` held; false when it already was. */
  hold(seq: number): boolean {
    if (seq >= this.seen.length) {
      const grown = new Uint8Array(Math.max(seq + 1, this.seen.length * 2));
      grown.set(this.seen);
      this.seen = grown;
    }
    if (this.seen[seq]) return false;
    this.seen[seq] = 1;
    while (this.seen[this.contiguous + 1]) this.contiguous++;
    return true;
  }
}

/** The current time in epoch ms, with sub-ms precision (comparable across the bench's connections). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * One benchmark chat device over WebSocket: sends op 4 (several in flight if asked), matches op-5
 * replies by packet seq, and keeps per conversation what it holds so that it can tell wire
 * duplicates and reorders apart and acknowledge (op 21) like a client.
 */
export class ChatConn {
  readonly #ws: WebSocket;
  #packetSeq = 0;
  #sent = 0;
  readonly #pending = new Map<number, PendingSend>(); // packet seq -> send, in send order
  readonly #convs = new Map<string, ConvState>();
  readonly #timedOut = new Set<number>(); // packet seqs counted as timed out, to recognise late replies
  /** Replies that came after their send had been counted as timed out. */
  lateReplies = 0;
  /** Why the socket closed before close() was called, if it did. */
  lost: string | undefined;
  #closing = false;
  onMessage: (message: Received) => void = () => undefined;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data: Buffer) => {
      for (const p of decodePackets(data, MAX_BODY)) this.#onPacket(p);
    });
    ws.on('error', (error) => (this.lost ??= error.message));
    ws.on('close', (code, reason) => {
      if (!this.#closing) this.lost ??= `closed ${code} ${reason.toString()}`;
    });
  }

  static async open(url: URL, token: string): Promise<ChatConn> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('error', () => undefined); // reported by the promises below, then by the instance
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('auth timeout')), 10_000);
      ws.once('message', (data: Buffer) => {
        clearTimeout(timer);
        const reply = decodePackets(data, MAX_BODY)[0];
        if (reply?.op === Op.AuthReply && JSON.parse(reply.body.toString()).code === 0) resolve();
        else reject(new Error(`auth refused: ${reply?.body.toString()}`));
      });
      ws.send(encodePacket({ op: Op.Auth, seq: 0, body: JSON.stringify({ room_id: '', accepts: [], token }) }));
    });
    return new ChatConn(ws);
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  /** Sends one message whose payload is `tag|send time|n`; returns n. */
  send(to: Target, tag: string, sink: ReplySink): number {
    const seq = ++this.#packetSeq;
    const n = ++this.#sent;
    const sentAtMs = nowMs();
    this.#pending.set(seq, { n, tag, sentAtMs, sink });
    const body = JSON.stringify({ client_msg_id: `${tag}-${n}`, to, payload: `${tag}|${sentAtMs}|${n}` });
    this.#ws.send(encodePacket({ op: Op.SendMsg, seq, body }));
    return n;
  }

  /** Counts sends older than `timeoutMs` as timed out, which frees their place in the window. */
  expire(now: number, timeoutMs: number): void {
    for (const [seq, send] of this.#pending) {
      if (now - send.sentAtMs < timeoutMs) return; // in send order: the rest are younger
      this.#pending.delete(seq);
      this.#timedOut.add(seq);
      send.sink.expired(this, send);
    }
  }

  /** op 21 for every conversation whose contiguous seq moved since the last acknowledgement. */
  ackHeld(): void {
    for (const [conv, state] of this.#convs) {
      if (state.contiguous <= state.acked) continue;
      state.acked = state.contiguous;
      this.#ws.send(encodePacket({ op: Op.ChatAck, body: JSON.stringify({ conv, seq: state.contiguous }) }));
    }
  }

  close(): void {
    this.#closing = true;
    this.#ws.close();
  }

  #onPacket(p: Packet): void {
    if (p.op === Op.SendMsgReply) return this.#onReply(p);
    if (p.op === Op.ChatMessage) return this.#onChat(p.body);
    if (p.op === Op.Raw) for (const inner of unpackBatch(p.body, MAX_BODY)) this.#onPacket(inner);
  }

  #onReply(p: Packet): void {
    const send = this.#pending.get(p.seq);
    if (!send) {
      if (this.#timedOut.delete(p.seq)) this.lateReplies++;
      return;
    }
    this.#pending.delete(p.seq);
    const body = JSON.parse(p.body.toString()) as SendReply;
    send.sink.replied(this, send, body, nowMs());
  }

  #onChat(body: Buffer): void {
    const m = JSON.parse(body.toString()) as { conv: string; seq: number; from: number; payload: string | null };
    let state = this.#convs.get(m.conv);
    if (!state) this.#convs.set(m.conv, (state = new ConvState()));
    const payload = m.payload ?? '';
    const duplicate = !state.hold(m.seq);
    let reordered = false;
    if (!duplicate) {
      const n = Number(payload.split('|')[2]);
      const latest = state.latestN.get(m.from) ?? 0;
      if (n < latest) reordered = true;
      else state.latestN.set(m.from, n);
    }
    this.onMessage({ conv: m.conv, seq: m.seq, from: m.from, payload, duplicate, reordered });
  }
}
