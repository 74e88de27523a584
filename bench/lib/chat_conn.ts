import WebSocket from 'ws';
import { decodePackets, encodePacket, Op, type Packet } from '@imcluster/protocol';

const MAX = 16 * 1024 * 1024;

/** One benchmark chat connection: sends op 4 without waiting, matches op-5 acks by packet seq. */
export class ChatConn {
  #ws: WebSocket;
  #seq = 0;
  readonly #pending = new Map<number, number>(); // packet seq -> send time (ms)
  onAck: (latencyMs: number, ok: boolean) => void = () => undefined;
  onMessage: (body: Record<string, unknown>) => void = () => undefined;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data: Buffer) => {
      for (const p of decodePackets(data, MAX)) this.#onPacket(p);
    });
  }

  static async open(url: string, token: string): Promise<ChatConn> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const conn = new ChatConn(ws);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('auth timeout')), 10_000);
      ws.once('message', (data: Buffer) => {
        clearTimeout(timer);
        const reply = decodePackets(data, MAX)[0];
        if (reply?.op === Op.AuthReply && JSON.parse(reply.body.toString()).code === 0) resolve();
        else reject(new Error(`auth refused: ${reply?.body.toString()}`));
      });
      ws.send(encodePacket({ op: Op.Auth, seq: 0, body: JSON.stringify({ room_id: '', accepts: [], token }) }));
    });
    return conn;
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  send(to: { type: 'user' | 'group'; id: number }, clientMsgId: string): void {
    const seq = ++this.#seq;
    const now = performance.timeOrigin + performance.now();
    this.#pending.set(seq, now);
    const body = JSON.stringify({ client_msg_id: clientMsgId, to, payload: String(now) });
    this.#ws.send(encodePacket({ op: Op.SendMsg, seq, body }));
  }

  ack(conv: string, seq: number): void {
    this.#ws.send(encodePacket({ op: Op.ChatAck, body: JSON.stringify({ conv, seq }) }));
  }

  close(): void {
    this.#ws.close();
  }

  #onPacket(p: Packet): void {
    if (p.op === Op.SendMsgReply) {
      const sentAt = this.#pending.get(p.seq);
      if (sentAt === undefined) return;
      this.#pending.delete(p.seq);
      this.onAck(performance.timeOrigin + performance.now() - sentAt, JSON.parse(p.body.toString()).code === 0);
    } else if (p.op === Op.ChatMessage) {
      this.onMessage(JSON.parse(p.body.toString()) as Record<string, unknown>);
    }
  }
}
