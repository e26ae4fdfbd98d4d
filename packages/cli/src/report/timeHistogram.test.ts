import { BUCKET_WIDTHS_MS, TimeHistogram } from './timeHistogram';

const T0 = Date.parse('2024-05-01T12:00:00Z');
const total = (counts: Array<[number, number, number, number]>): number => counts.reduce((n, c) => n + c[0] + c[1] + c[2] + c[3], 0);

describe('TimeHistogram', () => {
  it('keeps one-second buckets while the span fits', () => {
    const h = new TimeHistogram(60);
    h.add(T0 + 500, 1);
    h.add(T0 + 900, 4);
    h.add(T0 + 10_200, 2);
    const s = h.series();
    expect(s.bucketMs).toBe(1000);
    expect(s.startMs).toBe(T0);
    expect(s.counts).toHaveLength(11);
    expect(s.counts[0]).toEqual([1, 0, 0, 1]);
    expect(s.counts[10]).toEqual([0, 1, 0, 0]);
    expect(s.counts.slice(1, 10).every((c) => c.every((n) => n === 0))).toBe(true);
  });

  it('steps up the ladder to the smallest width that fits the span, losing no finding', () => {
    const h = new TimeHistogram(60);
    // Three days, out of order: 72 h does not fit 60 one-hour buckets, so 3 h buckets.
    const times = [T0 + 72 * 3600_000 - 1, T0, T0 + 36 * 3600_000, T0 + 1, T0 + 5 * 3600_000];
    times.forEach((t, i) => h.add(t, ((i % 4) + 1) as 1 | 2 | 3 | 4));
    const s = h.series();
    expect(s.bucketMs).toBe(3 * 3600_000);
    expect(s.counts.length).toBeLessThanOrEqual(60);
    expect(total(s.counts)).toBe(times.length);
    expect(s.startMs % s.bucketMs).toBe(0);
    // Every time falls in the bucket the series puts it in.
    expect(s.counts[Math.floor((T0 + 36 * 3600_000 - s.startMs) / s.bucketMs)]![2]).toBe(1);
  });

  it('doubles past the end of the ladder for absurd spans, staying within the bar count', () => {
    const h = new TimeHistogram(10);
    h.add(Date.parse('1970-01-01T00:00:00Z'), 1);
    h.add(Date.parse('2275-01-01T00:00:00Z'), 4);
    const s = h.series();
    expect(s.bucketMs).toBeGreaterThan(BUCKET_WIDTHS_MS[BUCKET_WIDTHS_MS.length - 1]!);
    expect(s.counts.length).toBeLessThanOrEqual(10);
    expect(total(s.counts)).toBe(2);
  });

  it('has no buckets when nothing was added', () => {
    expect(new TimeHistogram(60).series().counts).toEqual([]);
  });
});
