// Which whole segments retention removes: those whose newest record is older than the age limit,
// counted back from the newest record of the kind (event time, so replaying a year-old capture
// keeps it), then the oldest until the kind fits its byte budget. The segment being written stays.

export interface SegmentUsage {
  seq: number;
  /** Segment and index bytes. */
  bytes: number;
  records: number;
  /** Newest event time in it (ms), -Infinity when none is known. */
  newest: number;
}

export interface RetentionLimits {
  maxBytes: number;
  /** 0 keeps every age. */
  maxAgeMs: number;
}

export type RetentionReason = 'age' | 'size';

export interface Removal {
  seq: number;
  reason: RetentionReason;
}

/** `segments` in write order; `writing` is the seq of the open segment, never removed. */
export function segmentsToRemove(segments: readonly SegmentUsage[], limits: RetentionLimits, writing?: number): Removal[] {
  const out: Removal[] = [];
  let newest = -Infinity;
  let total = 0;
  for (const s of segments) {
    if (s.newest > newest) newest = s.newest;
    total += s.bytes;
  }
  const removed = new Set<number>();
  if (limits.maxAgeMs > 0 && newest > -Infinity) {
    const horizon = newest - limits.maxAgeMs;
    for (const s of segments) {
      // A segment with no dated record (empty, or only damaged lines) has no age to judge.
      if (s.seq === writing || s.newest === -Infinity || s.newest >= horizon) continue;
      out.push({ seq: s.seq, reason: 'age' });
      removed.add(s.seq);
      total -= s.bytes;
    }
  }
  for (const s of segments) {
    if (total <= limits.maxBytes) break;
    if (s.seq === writing || removed.has(s.seq)) continue;
    out.push({ seq: s.seq, reason: 'size' });
    total -= s.bytes;
  }
  return out;
}
