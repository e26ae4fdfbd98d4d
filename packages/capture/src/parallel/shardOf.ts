// Splits capture across workers by flow: the reading thread decodes every packet and hands each
// segment to the worker whose shard holds its connection. The shard is a hash of the
// order-normalised endpoints only, so both directions of a connection, IP fragments once
// reassembled, and the copies of a connection a SPAN port delivers under other VLAN tags (which the
// reassembler merges into one) always land in the same worker.
import type { TcpSegment } from '../decode/tcpSegment';

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
