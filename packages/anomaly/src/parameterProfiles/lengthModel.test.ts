// The length model: Welford statistics and the one-sided Chebyshev bound.
import { LengthModel } from './lengthModel';

describe('LengthModel', () => {
  const trained = (lengths: number[]): LengthModel => {
    const m = new LengthModel();
    lengths.forEach((l, i) => m.learn(l, i + 1));
    return m;
  };

  it('learns mean, population variance and max', () => {
    const m = trained([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(m.mean).toBeCloseTo(5, 12);
    expect(m.variance).toBeCloseTo(4, 12);
    expect(m.max).toBe(9);
  });

  it('bounds the tail with Chebyshev: σ² / (l − μ)²', () => {
    const m = trained([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(m.pValue(25)).toBeCloseTo(4 / 400, 12);
    expect(m.pValue(6)).toBe(1);
  });

  it('never judges values at or below the mean', () => {
    const m = trained([100, 120, 80]);
    expect(m.pValue(1)).toBe(1);
    expect(m.pValue(100)).toBe(1);
  });

  it('keeps a floor on the variance so constant-length fields tolerate a little growth', () => {
    const ids = trained(new Array<number>(50).fill(5));
    expect(ids.variance).toBe(0);
    expect(ids.pValue(6)).toBe(1);
    expect(ids.pValue(20)).toBeLessThan(0.01);
    const uuids = trained(new Array<number>(50).fill(36));
    expect(uuids.pValue(40)).toBeGreaterThan(0.5);
    expect(uuids.pValue(2048)).toBeLessThan(1e-4);
  });
});
