import net from 'node:net';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import { encodePacket, Op, PacketDecoder } from '@imcluster/protocol';

/** Resident memory of process `pid` in MiB, as the kernel reports it (/proc/<pid>/status VmRSS). */
export function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return Math.round(kb / 1024);
}

/** Samples the RSS of `pid` every `everyMs` until stop(); `peak` is the highest seen. */
export function watchRss(pid: number, everyMs = 50): { readonly peak: number; stop(): void } {
  let peak = rssMiB(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMiB(pid));
    } catch {
      // the process is gone: the test fails elsewhere
    }
  }, everyMs);
  return {
    get peak() {
      return peak;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * A raw TCP client that authenticates and then writes the same request over and over, as an
 * attacker would. With `read: false` it never reads what the comet answers until `readAgain()`.
 * It keeps at most 1 MiB of its own writes buffered, so the attacker's memory is not what grows.
 */
export class FloodClient {
  readonly socket: net.Socket;
  /** The op-6 close code received, once read. */
  closeCode?: number;
  closed = false;
  written = 0;
  #writes = 0;
  readonly #decoder = new PacketDecoder(16 * 1024 * 1024);

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      for (const packet of this.#decoder.push(chunk)) {
        if (packet.op === Op.DisconnectReply) this.closeCode ??= (JSON.parse(packet.body.toString('utf8')) as { code: number }).code;
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => (this.closed = true));
  }

  /** Connects to `address`, authenticates with `auth` and waits for the op-8 reply. */
  static async connect(address: string, auth: object, read: boolean): Promise<FloodClient> {
    const [host, port] = address.split(':');
    const socket = net.connect({ host, port: Number(port) });
    await once(socket, 'connect');
    socket.write(encodePacket({ op: Op.Auth, seq: 1, body: JSON.stringify(auth) }));
    const [first] = (await once(socket, 'data')) as [Buffer];
    const client = new FloodClient(socket);
    if (!read) socket.pause();
    const reply = new PacketDecoder(1 << 20).push(first)[0];
    if (reply?.op !== Op.AuthReply || (JSON.parse(reply.body.toString('utf8')) as { code: number }).code !== 0) throw new Error('auth refused');
    return client;
  }

  /** Writes `packet` `count` times (or until the connection closes or `untilMs` passes). */
  async flood(packet: Buffer, count: number, untilMs: number): Promise<void> {
    const deadline = Date.now() + untilMs;
    for (let i = 0; i < count && !this.closed && this.closeCode === undefined && !this.socket.destroyed && Date.now() < deadline; i++) {
      this.socket.write(packet);
      this.written += packet.length;
      if (++this.#writes % 16 === 0) await setImmediate(); // let the replies in, as a real client's event loop would
      while (this.socket.writableLength > 1 << 20 && !this.closed && Date.now() < deadline) await sleep(10);
    }
  }

  /** Starts reading again and waits for the close (at most `timeoutMs`); resolves with the op-6 code. */
  async readAgain(timeoutMs = 10_000): Promise<number | undefined> {
    this.socket.resume();
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await sleep(10);
    this.socket.destroy();
    return this.closeCode;
  }
}
