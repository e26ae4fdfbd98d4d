// Splits capture across workers by flow: every worker decodes every packet, but hands to its TCP
// reassembler only the segments of connections in its shard. The shard is a hash of the
// order-normalised endpoints only, so both directions of a connection, IP fragments once
// reassembled, and the copies of a connection a SPAN port delivers under other VLAN tags (which the
// reassembler merges into one) always land in the same worker.
import type { TcpSegment } from '../decode/tcpSegment';

export interface CaptureShard {
  /** This worker's shard, 0 ≤ index < count. */
  index: number;
  count: number;
}

/** The part of TcpReassembler a shard filter drives. */
export interface ShardedSegmentSink {
  onSegment(segment: TcpSegment): void;
  /** Capture time seen on a segment of another shard, so idle expiry runs as if it were seen here. */
  advanceClock(tsUs: number): void;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** The shard (0 ≤ n < count) a segment's connection belongs to. */
export function shardOf(segment: TcpSegment, count: number): number {
  if (count <= 1) return 0;
  const { srcIp, dstIp, srcPort, dstPort } = segment;
  const srcFirst = srcIp < dstIp || (srcIp === dstIp && srcPort <= dstPort);
  let h = FNV_OFFSET;
  h = mixString(h, srcFirst ? srcIp : dstIp);
  h = mixInt(h, srcFirst ? srcPort : dstPort);
  h = mixString(h, srcFirst ? dstIp : srcIp);
  h = mixInt(h, srcFirst ? dstPort : srcPort);
  return (fmix32(h) >>> 0) % count;
}

/** Hands a sink only its shard's segments, while keeping its idle-expiry clock on all of them. */
export class ShardFilter {
  constructor(
    private readonly shard: CaptureShard,
    private readonly sink: ShardedSegmentSink,
  ) {
    if (!Number.isInteger(shard.count) || shard.count < 1 || !Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
      throw new RangeError(`shard ${shard.index} of ${shard.count} is not a valid shard`);
    }
  }

  onSegment(segment: TcpSegment): void {
    if (shardOf(segment, this.shard.count) === this.shard.index) this.sink.onSegment(segment);
    else this.sink.advanceClock(segment.tsUs);
  }
}

function mixString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return Math.imul(h ^ 0xff, FNV_PRIME);
}

function mixInt(h: number, n: number): number {
  h = Math.imul(h ^ (n & 0xff), FNV_PRIME);
  h = Math.imul(h ^ ((n >>> 8) & 0xff), FNV_PRIME);
  h = Math.imul(h ^ ((n >>> 16) & 0xff), FNV_PRIME);
  return Math.imul(h ^ (n >>> 24), FNV_PRIME);
}

/** MurmurHash3's finaliser: FNV alone leaves the low bits (which `% count` uses) poorly mixed. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
