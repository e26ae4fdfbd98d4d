// Which partition a key lands on in the embedded bus (Kafka uses its own murmur2 partitioner);
// only stability matters: one key, one partition.

export function partitionOf(key: string, partitions: number): number {
  if (partitions === 1) return 0;
  // FNV-1a over UTF-16 code units: cheap, and spreads actor keys that differ only at the end.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}
