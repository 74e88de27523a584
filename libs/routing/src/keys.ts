/**
 * Every Redis key of the routing tables is built here and nowhere else. Full description, with
 * writers and readers: docs/redis-schema.md.
 *
 * Key (prefix <ns>: on all)     Type    Content                                   Expiry
 * ---------------------------   ------  ----------------------------------------  ---------------------------
 * <ns>:key:<key>                string  JSON {mid, server, room} of a connection   PX ttl, rewritten on refresh
 * <ns>:mid:<mid>                zset    member = route [key, mid, server],         score = expiry ms per member;
 *                                       one per live connection of the user       key PEXPIRE ttl
 * <ns>:room:<room>:servers      zset    member = comet id holding members          score = expiry ms; key PEXPIRE ttl
 * <ns>:server:<server>:rooms    hash    room -> local member count (last report)  PEXPIRE ttl, replaced per report
 * <ns>:servers                  zset    member = comet id                          score = expiry ms; key PEXPIRE ttl
 *
 * A member or entry is live while its expiry (ms since epoch) is greater than now; reads skip the
 * rest and writes trim them (ZREMRANGEBYSCORE). The key-level PEXPIRE only lets Redis drop a
 * structure nobody writes any more.
 *
 * Redis Cluster: every command and every MULTI touches one key, so no two keys ever need to share a
 * hash slot and none of these names uses a hash tag. (A room or comet id containing
 * "{...}" only changes where that key is placed.)
 */

/** `<ns>:key:<key>`: where one connection lives. */
export function keyConn(namespace: string, key: string): string {
  return `${namespace}:key:${key}`;
}

/** `<ns>:mid:<mid>`: a user's live connections (multi-device). Anonymous viewers (mid 0) are not indexed. */
export function keyUser(namespace: string, mid: number): string {
  return `${namespace}:mid:${mid}`;
}

/** `<ns>:room:<room>:servers`: comets that hold at least one member of the room. */
export function keyRoomServers(namespace: string, room: string): string {
  return `${namespace}:room:${room}:servers`;
}

/** `<ns>:server:<server>:rooms`: a comet's rooms and local counts as of its last report. */
export function keyServerRooms(namespace: string, server: string): string {
  return `${namespace}:server:${server}:rooms`;
}

/** `<ns>:servers`: comets that reported within the TTL. */
export function keyServers(namespace: string): string {
  return `${namespace}:servers`;
}

/** SCAN pattern matching every routing key of a namespace (tests and tooling clean up with it). */
export function namespacePattern(namespace: string): string {
  return `${namespace}:*`;
}
