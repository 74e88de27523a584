/** One client connection as routing knows it. */
export interface Connection {
  mid: number;      // user id; 0 for anonymous viewers
  key: string;      // connection key, unique cluster-wide
  server: string;   // comet instance id holding the socket
  room: string;     // "" when in no room
}

/** Where a connection key lives. */
export interface KeyRoute {
  key: string;
  mid: number;
  server: string;
}

/**
 * Presence and routing tables: key -> comet, user -> keys -> comet, room -> comets, comet -> rooms,
 * online counts.
 *
 * Contract:
 * - Entries written by addConnection()/refresh() expire `ttlSec` after the last write unless
 *   refresh() (connection heartbeats, batched by comet) or renewOnline() (per-comet room report)
 *   renews them, so a comet that dies silently drops out by itself.
 * - removeConnection() and changeRoom() keep the tables exact: after they resolve, no read returns
 *   the removed key, nor a user route the stored record no longer implies (the stored record wins
 *   over a stale idea of the connection the caller may have).
 * - Writes apply in the order they are called: a refresh() still in flight never undoes a later
 *   removeConnection() or changeRoom() of a connection it carried. (Await removeConnection() and
 *   changeRoom() of one connection before the next call about it: fixing a stale record may take
 *   a second round trip.)
 * - Reads never return expired entries.
 * - Anonymous viewers (mid 0) are routed by key and room, never by user: routesOfUsers([0]) is empty.
 * - A room is routed by comet (serversOfRoom), never by member: a room push goes to every comet that
 *   holds the room, and each comet finds its members itself.
 * - serversOfRoom() may over-include: a comet stays listed for a room until ttlSec after the last
 *   write that listed it there (it never under-includes while the room has live members on it).
 *   A push to a comet that no longer has the room must be a cheap no-op there.
 * - No call spans several keys of different hash slots in one command, so a Redis Cluster works.
 * - A call that fails because the backend cannot serve rejects with RoutingError (UNAVAILABLE).
 */
export interface Routing {
  addConnection(conn: Connection): Promise<void>;
  /** Resolves true when the key was known. */
  removeConnection(conn: Connection): Promise<boolean>;
  /** Records the connection's new room (`conn.room`, '' for none). */
  changeRoom(conn: Connection): Promise<void>;
  /**
   * Renews (rewrites) the entries of connections `server` still holds, and room -> comet for their
   * rooms. Pass every connection that is still open, not only those that sent a heartbeat lately:
   * goim clients may heartbeat less often than ttlSec.
   */
  refresh(server: string, alive: Connection[]): Promise<void>;
  /**
   * Records `server`'s local member count per room (and renews room -> comet and comet -> rooms),
   * then returns the cluster-wide member count of every room with live members.
   */
  renewOnline(server: string, roomCount: Record<string, number>): Promise<Record<string, number>>;

  /** Routes of the given keys; unknown keys are absent. */
  routesOfKeys(keys: string[]): Promise<KeyRoute[]>;
  /** Routes of every live connection of the given users. */
  routesOfUsers(mids: number[]): Promise<KeyRoute[]>;
  /** Comet ids that hold at least one member of the room. */
  serversOfRoom(room: string): Promise<string[]>;
  /** Rooms with members on `server` and its local count in each (as last reported by renewOnline). */
  roomsOfServer(server: string): Promise<Record<string, number>>;
  /** Cluster-wide member count per room, for the given rooms (0 when empty). */
  roomCounts(rooms: string[]): Promise<Record<string, number>>;
  /** Live comet ids that reported through renewOnline within ttlSec. */
  liveServers(): Promise<string[]>;
  /** Resolves once the store answered now; rejects with the reason when it cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Routes grouped by the comet holding them: one call per comet carries all its keys. */
export function keysByServer(routes: Iterable<KeyRoute>): Map<string, string[]> {
  const byServer = new Map<string, string[]>();
  for (const { server, key } of routes) {
    const keys = byServer.get(server);
    if (keys) keys.push(key);
    else byServer.set(server, [key]);
  }
  return byServer;
}
