// One direction's delivered bytes, kept after delivery so a retransmission of them can be compared
// with what the consumer got (Zeek's rexmit_inconsistency). Only one contiguous run is kept; bytes
// that cannot extend it (cap, budget, or a run broken by an earlier skip or a gap) are not kept.
import type { RetainBudget } from './retainBudget';
import { seqAdd, seqDiff, seqGt } from './seq';

export class RetainedData {
  /** Chunks from the budget, oldest first; none while nothing is kept. */
  private readonly chunks: Buffer[] = [];
  /** Offset in chunks[0] of the byte at startSeq. */
  private head = 0;
  private length = 0;
  private startSeq = 0;
  private lastAck = 0;
  private ackSeen = false;

  constructor(
    private readonly budget: RetainBudget,
    private readonly cap: number,
  ) {}

  /** Bytes kept. */
  get bytes(): number {
    return this.length;
  }

  /** Copies delivered `data` that starts at `seq`. False when it was not kept. */
  append(seq: number, data: Buffer): boolean {
    const n = data.length;
    if (this.length > 0 && seqAdd(this.startSeq, this.length) !== seq) return false;
    if (this.length + n > this.cap) return false;
    const size = this.budget.chunkBytes;
    let tail = this.head + this.length;
    const missing = Math.ceil((tail + n) / size) - this.chunks.length;
    if (missing > 0 && !this.budget.take(missing, this.chunks)) return false;
    if (this.length === 0) this.startSeq = seq;
    this.length += n;
    const at = tail % size;
    const chunk = this.chunks[(tail / size) | 0] as Buffer;
    // TypedArray#set of the whole segment allocates nothing; Buffer#copy builds a view per call.
    if (at + n <= size) {
      chunk.set(data, at);
      return true;
    }
    let from = 0;
    while (from < n) {
      const len = Math.min(n - from, size - (tail % size));
      (this.chunks[(tail / size) | 0] as Buffer).set(data.subarray(from, from + len), tail % size);
      from += len;
      tail += len;
    }
    return true;
  }

  /**
   * True when any kept byte among data[0, n) (sequence numbers from `seq`) differs from the kept
   * copy. Bytes outside the kept run are not compared.
   */
  differs(seq: number, data: Buffer, n: number): boolean {
    if (this.length === 0) return false;
    const rel = seqDiff(seq, this.startSeq);
    let from = rel < 0 ? -rel : 0;
    const to = Math.min(n, this.length - rel);
    const size = this.budget.chunkBytes;
    let pos = this.head + rel + from;
    while (from < to) {
      const at = pos % size;
      const len = Math.min(to - from, size - at);
      if (data.compare(this.chunks[(pos / size) | 0] as Buffer, at, at + len, from, from + len) !== 0) return true;
      from += len;
      pos += len;
    }
    return false;
  }

  /**
   * The peer acknowledged up to `ack`. Bytes are released one ACK late: the ACK seen on the tap may
   * not have reached the sender yet (or was lost after the tap), so the sender may still resend what
   * it covers; once a later ACK shows up, what the earlier one covered is released.
   */
  onAck(ack: number): void {
    if (this.ackSeen && !seqGt(ack, this.lastAck)) return;
    if (this.ackSeen) this.releaseTo(this.lastAck);
    this.lastAck = ack;
    this.ackSeen = true;
  }

  /** Releases the kept bytes before sequence number `seq`, oldest chunks back to the budget. */
  releaseTo(seq: number): void {
    const k = seqDiff(seq, this.startSeq);
    if (k <= 0 || this.length === 0) return;
    if (k >= this.length) {
      this.clear();
      return;
    }
    this.startSeq = seq;
    this.length -= k;
    this.head += k;
    const size = this.budget.chunkBytes;
    while (this.head >= size) {
      this.budget.give(this.chunks.shift() as Buffer);
      this.head -= size;
    }
  }

  /** Releases everything (FIN, close, eviction). */
  clear(): void {
    for (const chunk of this.chunks) this.budget.give(chunk);
    this.chunks.length = 0;
    this.head = 0;
    this.length = 0;
  }
}
