// Which shard of parallel file capture a segment's connection belongs to. The reading thread is
// shard 0 and also decodes every packet and writes all output, so it takes a smaller share of the
// connections than each worker thread: connections hash into many slots (shardOf), and shard 0
// owns READER_WEIGHT of a worker's number of them.
import type { TcpSegment } from '../decode/tcpSegment';
import { shardOf } from './shardOf';

/** Shard 0's share of the connections, as a fraction of one worker's share. */
const READER_WEIGHT = 0.75;
const SLOTS_PER_SHARD = 16;

export class ShardRouter {
  private readonly owner: Uint8Array;
  // Consecutive segments mostly belong to one connection: its shard is remembered, and the IP
  // strings come from the decoder's cache, so the compares are mostly pointer compares.
  private lastSrcIp = '';
  private lastDstIp = '';
  private lastSrcPort = -1;
  private lastDstPort = -1;
  private lastShard = 0;

  constructor(shards: number) {
    if (!Number.isInteger(shards) || shards < 1 || shards > 255) throw new RangeError(`shards must be an integer from 1 to 255, got ${shards}`);
    const slots = shards * SLOTS_PER_SHARD;
    const readerSlots = shards === 1 ? slots : Math.max(1, Math.round((slots * READER_WEIGHT) / (READER_WEIGHT + shards - 1)));
    this.owner = new Uint8Array(slots);
    // The rest are dealt round-robin over the workers (shards 1..n-1).
    for (let slot = readerSlots; slot < slots; slot++) this.owner[slot] = 1 + ((slot - readerSlots) % (shards - 1));
  }

  shardOf(segment: TcpSegment): number {
    const { srcIp, dstIp, srcPort, dstPort } = segment;
    if (srcPort === this.lastSrcPort && dstPort === this.lastDstPort && srcIp === this.lastSrcIp && dstIp === this.lastDstIp) return this.lastShard;
    const shard = this.owner[shardOf(segment, this.owner.length)]!;
    this.lastSrcIp = srcIp;
    this.lastDstIp = dstIp;
    this.lastSrcPort = srcPort;
    this.lastDstPort = dstPort;
    this.lastShard = shard;
    return shard;
  }
}
