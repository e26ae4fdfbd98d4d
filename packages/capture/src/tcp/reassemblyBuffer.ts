// One direction's out-of-order store: copies of segments that arrived ahead of the next expected
// byte, sorted and non-overlapping. Where new data overlaps held data the first copy is kept.
import { seqAdd, seqDiff } from './seq';

export interface BufferedSegment {
  /** Sequence number of data[0]. */
  seq: number;
  data: Buffer;
}

export class ReassemblyBuffer {
  /** Sorted by sequence number relative to the stream's next expected byte; never overlapping. */
  private readonly segments: BufferedSegment[] = [];
  private heldBytes = 0;

  get bytes(): number {
    return this.heldBytes;
  }

  get count(): number {
    return this.segments.length;
  }

  first(): BufferedSegment | undefined {
    return this.segments[0];
  }

  shift(): BufferedSegment | undefined {
    const segment = this.segments.shift();
    if (segment !== undefined) this.heldBytes -= segment.data.length;
    return segment;
  }

  clear(): void {
    this.segments.length = 0;
    this.heldBytes = 0;
  }

  /**
   * Holds a copy of the parts of `data` (starting at `seq`, after `base`) not already held. Returns
   * the number of bytes that overlapped held data and whether any of them differed from it.
   * Every held segment must start after `base`, the stream's next expected sequence number.
   */
  insert(seq: number, data: Buffer, base: number): InsertResult {
    const segments = this.segments;
    const start = seqDiff(seq, base);
    const end = start + data.length;
    // Segments usually arrive in increasing order, so the insertion point is found from the back.
    let i = segments.length;
    while (i > 0) {
      const prev = segments[i - 1] as BufferedSegment;
      if (seqDiff(prev.seq, base) + prev.data.length <= start) break;
      i -= 1;
    }
    let cursor = start;
    let overlapBytes = 0;
    let conflict = false;
    while (i < segments.length && cursor < end) {
      const held = segments[i] as BufferedSegment;
      const heldStart = seqDiff(held.seq, base);
      if (heldStart >= end) break;
      if (heldStart > cursor) {
        segments.splice(i, 0, this.copy(data, cursor - start, heldStart - start, base, cursor));
        i += 1;
      }
      const heldEnd = heldStart + held.data.length;
      const from = cursor > heldStart ? cursor : heldStart;
      const to = end < heldEnd ? end : heldEnd;
      if (to > from) {
        overlapBytes += to - from;
        if (!conflict) {
          conflict = data.compare(held.data, from - heldStart, to - heldStart, from - start, to - start) !== 0;
        }
      }
      if (heldEnd > cursor) cursor = heldEnd;
      i += 1;
    }
    if (cursor < end) segments.splice(i, 0, this.copy(data, cursor - start, end - start, base, cursor));
    return { overlapBytes, conflict };
  }

  private copy(data: Buffer, from: number, to: number, base: number, relSeq: number): BufferedSegment {
    // Not from the shared pool: a small held copy must not pin an 8 KiB slab beyond the byte limit.
    const copy = Buffer.allocUnsafeSlow(to - from);
    data.copy(copy, 0, from, to);
    this.heldBytes += copy.length;
    return { seq: seqAdd(base, relSeq), data: copy };
  }
}

export interface InsertResult {
  overlapBytes: number;
  conflict: boolean;
}
