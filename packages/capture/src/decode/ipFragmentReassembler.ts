// Reassembles fragmented IPv4 and IPv6 datagrams, bounded in count, size and capture time.
// Fragments land in 8-byte blocks (every fragment but the last is a multiple of 8 bytes long),
// so coverage and overlap are a byte per block, never a list of ranges a hostile sender can grow.
import type { Counters } from '@sidetap/core';
import type { CaptureConfig } from '../captureConfig';
import {
  DATAGRAMS_REASSEMBLED,
  FRAGMENT_OVERLAPS,
  FRAGMENTS_DROPPED_LIMIT,
  FRAGMENTS_DROPPED_MALFORMED,
  FRAGMENTS_DROPPED_TIMEOUT,
  FRAGMENTS_DROPPED_TOO_LARGE,
  FRAGMENTS_RECEIVED,
} from './decodeCounters';

const MIN_CAPACITY = 2048;

const EMPTY = new Uint8Array(0);

interface PendingDatagram {
  firstUs: number;
  /** The datagram exceeds the size limit: its bytes are released and later fragments dropped. */
  tooLarge: boolean;
  data: Buffer | undefined;
  /** One byte per 8-byte block of `data`: 1 when the block has been received. */
  blocks: Uint8Array;
  blocksReceived: number;
  /** Length of the whole datagram once the last fragment was seen, else -1. */
  totalLen: number;
  /** Furthest byte any fragment reached. */
  maxEnd: number;
  fragments: number;
  /** Upper-layer protocol from the offset-0 fragment, -1 until it arrives. */
  protocol: number;
}

/** A last fragment that moves a known end or cuts off bytes already held, or data past the end. */
function disagreesOnEnd(d: PendingDatagram, fragEnd: number, more: boolean): boolean {
  if (more) return d.totalLen >= 0 && fragEnd > d.totalLen;
  return (d.totalLen >= 0 && d.totalLen !== fragEnd) || d.maxEnd > fragEnd;
}

export class IpFragmentReassembler {
  private readonly pending = new Map<string, PendingDatagram>();
  private readonly timeoutUs: number;
  private readonly maxDatagrams: number;
  private readonly maxBytes: number;
  /** Upper-layer protocol of the datagram `add` last completed. */
  protocol = -1;

  constructor(config: CaptureConfig, private readonly counters: Counters) {
    this.timeoutUs = config.ipFragmentTimeoutSec * 1e6;
    this.maxDatagrams = config.ipFragmentMaxDatagrams;
    this.maxBytes = config.ipFragmentMaxBytes;
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * Adds the fragment `src[start, end)` at byte `offset` of the datagram `key`. Returns the whole
   * datagram payload when this fragment completed it (a buffer owned by the caller from then on),
   * with `this.protocol` set; otherwise undefined.
   */
  add(key: string, nowUs: number, offset: number, more: boolean, protocol: number, src: Buffer, start: number, end: number): Buffer | undefined {
    this.expire(nowUs);
    const len = end - start;
    this.counters.inc(FRAGMENTS_RECEIVED);
    if (more && (len & 7) !== 0) {
      this.counters.inc(FRAGMENTS_DROPPED_MALFORMED);
      return undefined;
    }
    let d = this.pending.get(key);
    if (d === undefined) {
      if (this.pending.size >= this.maxDatagrams) this.evictOldest();
      d = { firstUs: nowUs, tooLarge: false, data: undefined, blocks: EMPTY, blocksReceived: 0, totalLen: -1, maxEnd: 0, fragments: 0, protocol: -1 };
      this.pending.set(key, d);
    }
    const fragEnd = offset + len;
    if (d.tooLarge || fragEnd > this.maxBytes) {
      // Forget the bytes but keep the entry until it times out, so the rest of the datagram's
      // fragments are dropped as too_large too instead of starting a datagram of their own.
      this.counters.inc(FRAGMENTS_DROPPED_TOO_LARGE, d.tooLarge ? 1 : d.fragments + 1);
      d.tooLarge = true;
      d.data = undefined;
      d.blocks = EMPTY;
      d.fragments = 0;
      return undefined;
    }
    if (disagreesOnEnd(d, fragEnd, more)) {
      // The first word on where the datagram ends stands; this fragment is the conflicting copy.
      this.counters.inc(FRAGMENT_OVERLAPS);
      return undefined;
    }
    if (!more) d.totalLen = fragEnd;
    if (fragEnd > d.maxEnd) d.maxEnd = fragEnd;
    if (offset === 0 && d.protocol < 0) d.protocol = protocol;
    d.fragments++;
    if (this.merge(d, offset, src, start, end)) this.counters.inc(FRAGMENT_OVERLAPS);
    if (d.totalLen < 0 || d.blocksReceived !== (d.totalLen + 7) >>> 3) return undefined;
    this.pending.delete(key);
    this.counters.inc(DATAGRAMS_REASSEMBLED);
    this.protocol = d.protocol;
    return d.data!.subarray(0, d.totalLen);
  }

  /** Drops datagrams whose first fragment is older than the timeout, oldest first. */
  expire(nowUs: number): void {
    const cutoff = nowUs - this.timeoutUs;
    // Insertion order is arrival order, so the scan stops at the first datagram still in time.
    for (const [key, d] of this.pending) {
      if (d.firstUs > cutoff) break;
      this.pending.delete(key);
      if (d.fragments > 0) this.counters.inc(FRAGMENTS_DROPPED_TIMEOUT, d.fragments);
    }
  }

  private evictOldest(): void {
    for (const [key, d] of this.pending) {
      this.pending.delete(key);
      if (d.fragments > 0) this.counters.inc(FRAGMENTS_DROPPED_LIMIT, d.fragments);
      return;
    }
  }

  /** Copies the blocks not yet received; returns true when an already received block differs. */
  private merge(d: PendingDatagram, offset: number, src: Buffer, start: number, end: number): boolean {
    const fragEnd = offset + (end - start);
    this.ensureCapacity(d, fragEnd);
    const data = d.data!;
    const blocks = d.blocks;
    const lastBlock = (fragEnd + 7) >>> 3;
    let conflict = false;
    let b = offset >>> 3;
    while (b < lastBlock) {
      // A run of blocks that are all received, or all missing, is handled with one copy/compare.
      const received = blocks[b]!;
      let runEnd = b + 1;
      while (runEnd < lastBlock && blocks[runEnd] === received) runEnd++;
      const from = b << 3;
      const to = Math.min(runEnd << 3, fragEnd);
      const srcFrom = start + from - offset;
      const srcTo = start + to - offset;
      if (received === 1) {
        if (!conflict && src.compare(data, from, to, srcFrom, srcTo) !== 0) conflict = true;
      } else {
        src.copy(data, from, srcFrom, srcTo);
        blocks.fill(1, b, runEnd);
        d.blocksReceived += runEnd - b;
      }
      b = runEnd;
    }
    return conflict;
  }

  private ensureCapacity(d: PendingDatagram, bytes: number): void {
    const current = d.data === undefined ? 0 : d.data.length;
    if (bytes <= current) return;
    let capacity = Math.max(MIN_CAPACITY, current * 2);
    while (capacity < bytes) capacity *= 2;
    capacity = Math.min(capacity, (this.maxBytes + 7) & ~7);
    const data = Buffer.allocUnsafe(capacity);
    const blocks = new Uint8Array(capacity >>> 3);
    if (d.data !== undefined) {
      d.data.copy(data, 0, 0, current);
      blocks.set(d.blocks);
    }
    d.data = data;
    d.blocks = blocks;
  }
}
