import type { Logger } from '@imcluster/common';
import { keysByServer, type Routing } from '@imcluster/routing';
import type { CometDirectory } from './comet_directory.ts';

/**
 * Closes every open connection of a user, wherever it is: the routing tables say which comets
 * hold its keys, and each is asked (gRPC Kick) to close them with a close code. Best effort: a
 * comet that does not answer keeps its connections (they still end when their token expires or
 * at their next auth, which the token version refuses).
 */
export class UserSockets {
  readonly #routing: Routing;
  readonly #comets: CometDirectory;
  readonly #logger: Logger;

  constructor(routing: Routing, comets: CometDirectory, logger: Logger) {
    this.#routing = routing;
    this.#comets = comets;
    this.#logger = logger;
  }

  /** Resolves with how many connections the comets closed; never rejects. */
  async close(mid: number, code: number, reason: string): Promise<number> {
    const routes = await this.#routing.routesOfUsers([mid]).catch((error: unknown) => this.#failed(error, mid));
    const calls = [...keysByServer(routes)].map(([server, keys]) => this.#comets.kick(server, keys, code, reason));
    let closed = 0;
    for (const result of await Promise.allSettled(calls)) {
      if (result.status === 'fulfilled') closed += result.value;
      else this.#failed(result.reason, mid);
    }
    return closed;
  }

  #failed(error: unknown, mid: number): [] {
    this.#logger.warn({ err: error, mid }, 'user connections not closed; they end when their tokens expire');
    return [];
  }
}
