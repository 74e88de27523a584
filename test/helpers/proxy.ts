import net from 'node:net';
import type { Cleanup } from './cleanup.ts';
import { freePort } from './processes.ts';

/**
 * A TCP relay a test owns between a process and one of the shared services: cut() drops every
 * connection and refuses new ones, as if the service were down, without touching the service
 * other tests use; restore() lets connections through again.
 */
export class TcpProxy {
  readonly port: number;
  readonly #target: { host: string; port: number };
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #open = true;

  private constructor(port: number, target: { host: string; port: number }) {
    this.port = port;
    this.#target = target;
    this.#server = net.createServer((client) => this.#relay(client));
  }

  static async start(cleanup: Cleanup, target: string): Promise<TcpProxy> {
    const [host = '127.0.0.1', port] = target.split(':');
    const proxy = new TcpProxy(await freePort(), { host, port: Number(port) });
    await new Promise<void>((resolve) => proxy.#server.listen(proxy.port, '127.0.0.1', resolve));
    cleanup.after(() => proxy.close());
    return proxy;
  }

  cut(): void {
    this.#open = false;
    for (const socket of this.#sockets) socket.destroy();
  }

  restore(): void {
    this.#open = true;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #relay(client: net.Socket): void {
    if (!this.#open) return void client.destroy();
    const upstream = net.connect(this.#target.port, this.#target.host);
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
