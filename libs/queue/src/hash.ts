/**
 * Picks the partition of a key: FNV-1a (32 bit) over the key's UTF-8 bytes, modulo the partition
 * count. Stable across processes and restarts, which is all per-key ordering needs; it is not
 * Kafka's murmur2, so a key may land on another partition number in the memory queue than in Kafka.
 */
export function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
