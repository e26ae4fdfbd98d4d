// One direction's out-of-order store: copies of segments that arrived ahead of the next expected
// byte, sorted and non-overlapping. Where new data overlaps held data the first copy is kept.
import type { BufferBudget, HoleHolder } from './bufferBudget';
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
  /** Links in the budget's list of buffers holding data, oldest first. */
  budgetOlder: ReassemblyBuffer | undefined = undefined;
  budgetNewer: ReassemblyBuffer | undefined = undefined;

  /**
   * Every byte copied in is counted in `budget` (shared by all connections) until it is shifted out
   * or cleared; `holder` is the direction asked to give up a hole when the budget is exceeded.
   */
  constructor(
    private readonly budget: BufferBudget | undefined = undefined,
    readonly holder: HoleHolder | undefined = undefined,
  ) {}

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
    if (segment !== undefined) {
      this.heldBytes -= segment.data.length;
      if (this.budget !== undefined) this.budget.release(this, segment.data.length, this.heldBytes === 0);
    }
    return segment;
  }

  clear(): void {
    if (this.heldBytes > 0 && this.budget !== undefined) this.budget.release(this, this.heldBytes, true);
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
    if (this.budget !== undefined) this.budget.add(this, copy.length, this.heldBytes === 0);
    this.heldBytes += copy.length;
    return { seq: seqAdd(base, relSeq), data: copy };
  }
}

export interface InsertResult {
  overlapBytes: number;
  conflict: boolean;
}
