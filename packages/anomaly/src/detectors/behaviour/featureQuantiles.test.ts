import { deviations, featureScales, learnQuantiles, quantileSorted } from './featureQuantiles';
import { LearnedNeighbours } from './learnedNeighbours';
import { RowReservoir } from './rowReservoir';
import type { FeatureSpec } from './sessionFeatures';

const SPECS: FeatureSpec[] = [
  { name: 'a_share', show: (x) => `${Math.round(x * 100)}%`, label: 'a', unit: 0.05 },
  { name: 'b_share', show: (x) => `${Math.round(x * 100)}%`, label: 'b', unit: 0.05 },
];
// 101 rows: a runs 0..1 in steps of 0.01; b is always 0.
const rows = Array.from({ length: 101 }, (_, i) => Float64Array.of(i / 100, 0));

describe('feature quantiles', () => {
  it('interpolates quantiles of sorted values', () => {
    expect(quantileSorted([0, 10], 0.5)).toBe(5);
    expect(quantileSorted([], 0.5)).toBe(0);
    const q = learnQuantiles(rows, 2);
    expect(q.p1[0]).toBeCloseTo(0.01);
    expect(q.p50[0]).toBeCloseTo(0.5);
    expect(q.p99[0]).toBeCloseTo(0.99);
    expect([q.p1[1], q.p50[1], q.p99[1]]).toEqual([0, 0, 0]);
  });

  it('names the features outside p1..p99, furthest first, with a unit floor for features that never moved', () => {
    const q = learnQuantiles(rows, 2);
    const d = deviations([0.5, 0.3], q, SPECS);
    expect(d).toHaveLength(1);
    expect(d[0]!.feature).toBe(1);
    expect(d[0]!.distance).toBeCloseTo(6); // 0.3 past p99 0, in units of 0.05
    expect(d[0]!.text).toBe('30% b (learned p99 0%)');
    expect(deviations([0.5, 0], q, SPECS)).toEqual([]);
  });
});

describe('LearnedNeighbours', () => {
  it('takes a row close to a learned one as known, and a far one as new', () => {
    const q = learnQuantiles(rows, 2);
    const n = LearnedNeighbours.learn(rows, featureScales(q, SPECS), 1, 0.99);
    expect(n.isLearnedLike([0.505, 0])).toBe(true);
    expect(n.isLearnedLike([0.5, 0.5])).toBe(false);
    expect(n.kthDistance([0.5, 0.5])).toBeCloseTo(0.5 / 0.05);
  });
});

describe('RowReservoir', () => {
  it('keeps at most its capacity, the same rows for the same seed', () => {
    const fill = (seed: number) => {
      const r = new RowReservoir(10, seed);
      for (let i = 0; i < 1000; i++) r.add(Float64Array.of(i));
      return r.sample().map((x) => x[0]);
    };
    expect(fill(7)).toHaveLength(10);
    expect(fill(7)).toEqual(fill(7));
    expect(fill(7)).not.toEqual(fill(8));
  });
});
