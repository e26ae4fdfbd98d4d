// Findings per time bucket and severity, streamed: the bucket width starts at one second and steps
// up a ladder of round widths whenever the span seen so far needs more than the allowed bars, so
// memory is bounded by the bar count and the chart's width is chosen from the span.
import type { Severity } from './recordViews';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Each width a whole multiple of the one before, so buckets merge without splitting. */
export const BUCKET_WIDTHS_MS: readonly number[] = [
  SECOND, 5 * SECOND, 10 * SECOND, 30 * SECOND,
  MINUTE, 5 * MINUTE, 10 * MINUTE, 30 * MINUTE,
  HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 7 * DAY, 28 * DAY, 84 * DAY, 336 * DAY,
];

export interface TimeSeries {
  bucketMs: number;
  /** Start of the first bucket, epoch milliseconds; buckets follow without gaps. */
  startMs: number;
  /** Per bucket, findings of severity 1 to 4 at index 0 to 3. */
  counts: Array<[number, number, number, number]>;
}

export class TimeHistogram {
  private widthMs = BUCKET_WIDTHS_MS[0]!;
  private readonly buckets = new Map<number, [number, number, number, number]>();
  private minKey = Infinity;
  private maxKey = -Infinity;

  constructor(private readonly maxBuckets: number) {}

  add(timeMs: number, severity: Severity): void {
    const key = Math.floor(timeMs / this.widthMs);
    let counts = this.buckets.get(key);
    if (counts === undefined) {
      counts = [0, 0, 0, 0];
      this.buckets.set(key, counts);
      if (key < this.minKey) this.minKey = key;
      if (key > this.maxKey) this.maxKey = key;
    }
    counts[(severity - 1) as 0 | 1 | 2 | 3]++;
    while (this.maxKey - this.minKey + 1 > this.maxBuckets) this.coarsen();
  }

  series(): TimeSeries {
    const width = this.widthMs;
    if (this.buckets.size === 0) return { bucketMs: width, startMs: 0, counts: [] };
    const counts: TimeSeries['counts'] = [];
    for (let k = this.minKey; k <= this.maxKey; k++) counts.push(this.buckets.get(k) ?? [0, 0, 0, 0]);
    return { bucketMs: width, startMs: this.minKey * width, counts };
  }

  /** Steps to the next width of the ladder (past its end, doubling) and merges the buckets into it. */
  private coarsen(): void {
    const to = BUCKET_WIDTHS_MS.find((w) => w > this.widthMs) ?? this.widthMs * 2;
    const factor = to / this.widthMs;
    this.widthMs = to;
    const merged = new Map<number, [number, number, number, number]>();
    for (const [key, counts] of this.buckets) {
      const k = Math.floor(key / factor);
      const into = merged.get(k);
      if (into === undefined) merged.set(k, counts);
      else for (let i = 0; i < 4; i++) into[i]! += counts[i]!;
    }
    this.buckets.clear();
    for (const [k, v] of merged) this.buckets.set(k, v);
    this.minKey = Math.floor(this.minKey / factor);
    this.maxKey = Math.floor(this.maxKey / factor);
  }
}
