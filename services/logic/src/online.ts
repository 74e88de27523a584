import type { Routing } from '@imcluster/routing';
import type { CometDirectory } from './comet_directory.ts';

/** Read-only views of who is online, for the HTTP API. */
export class Online {
  readonly #routing: Routing;
  readonly #comets: CometDirectory;

  constructor(routing: Routing, comets: CometDirectory) {
    this.#routing = routing;
    this.#comets = comets;
  }

  /** Rooms with the most members, optionally only those whose id starts with `prefix`. */
  async top(prefix: string, limit: number): Promise<{ room: string; count: number }[]> {
    const counts = await this.#allRoomCounts();
    return Object.entries(counts)
      .filter(([room, count]) => room.startsWith(prefix) && count > 0)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, limit)
      .map(([room, count]) => ({ room, count }));
  }

  rooms(rooms: string[]): Promise<Record<string, number>> {
    return this.#routing.roomCounts(rooms);
  }

  /** Connections held by every live comet, asked of the comets themselves. */
  async total(): Promise<{ connections: number; comets: number }> {
    const stats = await this.#comets.stats();
    return { connections: stats.reduce((sum, s) => sum + (s.connections ?? 0), 0), comets: stats.length };
  }

  async #allRoomCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const server of await this.#routing.liveServers()) {
      for (const [room, count] of Object.entries(await this.#routing.roomsOfServer(server))) counts[room] = (counts[room] ?? 0) + count;
    }
    return counts;
  }
}
