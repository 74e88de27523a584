import type { Channel } from './channel.ts';

/**
 * A shard of the comet's connections and of their room memberships. Sharding by key keeps each
 * map small and lets a room broadcast walk only the members a bucket holds.
 */
export class Bucket {
  readonly channels = new Map<string, Channel>();
  readonly rooms = new Map<string, Set<Channel>>();

  put(channel: Channel): void {
    this.channels.set(channel.key, channel);
    this.#join(channel, channel.identity.room);
  }

  /** Removes the channel; resolves false when another channel has since taken its key. */
  remove(channel: Channel): boolean {
    if (this.channels.get(channel.key) !== channel) return false;
    this.channels.delete(channel.key);
    this.#leave(channel, channel.identity.room);
    return true;
  }

  changeRoom(channel: Channel, room: string): void {
    this.#leave(channel, channel.identity.room);
    channel.identity.room = room;
    this.#join(channel, room);
  }

  #join(channel: Channel, room: string): void {
    if (!room) return;
    let members = this.rooms.get(room);
    if (!members) this.rooms.set(room, (members = new Set()));
    members.add(channel);
  }

  #leave(channel: Channel, room: string): void {
    const members = this.rooms.get(room);
    if (!members) return;
    members.delete(channel);
    if (members.size === 0) this.rooms.delete(room);
  }
}

/** FNV-1a over the key's UTF-16 code units: cheap and spreads UUID-like keys evenly. */
export function bucketIndex(key: string, buckets: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % buckets;
}
