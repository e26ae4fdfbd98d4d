import { SeededRandom } from './seededRandom';

// Outputs of the reference C xoshiro128** (Blackman & Vigna) seeded by the same splitmix32.
const REFERENCE: Record<number, number[]> = {
  0: [3809008728, 1133695204, 53579671, 2891528803, 139681546, 2203266335],
  42: [2837322924, 544945897, 479756282, 3500138142, 339756180, 113173290],
  4294967295: [835879718, 1921286648, 2356205009, 1885780724, 980451116, 1053911718],
};

describe('SeededRandom', () => {
  it.each(Object.entries(REFERENCE))('matches the reference C implementation for seed %s', (seed, expected) => {
    const random = new SeededRandom(Number(seed));
    expect(expected.map(() => random.nextUint32())).toEqual(expected);
  });

  it('gives floats in [0, 1) and integers in [0, n)', () => {
    const random = new SeededRandom(7);
    let low = 1;
    let high = 0;
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const x = random.nextFloat();
      low = Math.min(low, x);
      high = Math.max(high, x);
      seen.add(random.nextInt(5));
    }
    expect(low).toBeGreaterThanOrEqual(0);
    expect(low).toBeLessThan(0.01);
    expect(high).toBeLessThan(1);
    expect(high).toBeGreaterThan(0.99);
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it.each([-1, 1.5, 2 ** 32, Number.NaN])('rejects seed %s in one sentence', (seed) => {
    expect(() => new SeededRandom(seed)).toThrow(/^seed must be an integer from 0 to 4294967295, not .+\.$/);
  });
});
