import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceInstance } from '../src/registry.ts';

/** A namespace no other test run uses, so runs never see each other's keys. */
export function randomNamespace(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** Polls `probe` until it returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
  return Date.now() - started;
}

export function instance(service: string, id: string, port = 3000): ServiceInstance {
  return { id, service, addrs: { grpc: `127.0.0.1:${port}` }, meta: { weight: 1 } };
}

/** Records every list a watch delivers. */
export class WatchRecorder {
  readonly calls: ServiceInstance[][] = [];

  readonly onChange = (instances: ServiceInstance[]): void => {
    this.calls.push(instances);
  };

  ids(): string[] {
    return (this.calls.at(-1) ?? []).map((i) => i.id);
  }

  until(what: string, ids: string[], timeoutMs?: number): Promise<number> {
    return waitFor(`${what} (want [${ids}], have [${this.ids()}])`, () => this.ids().join() === ids.join(), timeoutMs);
  }
}
