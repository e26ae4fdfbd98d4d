import { averagePathLength, harmonicNumber } from './averagePathLength';

describe('averagePathLength (c(n))', () => {
  // By hand: c(n) = 2H(n − 1) − 2(n − 1)/n with exact harmonic numbers.
  it.each([
    [0, 0],
    [1, 0],
    [2, 1], // 2·1 − 1
    [3, 5 / 3], // 2·(3/2) − 4/3
    [4, 13 / 6], // 2·(11/6) − 6/4
    [5, 77 / 30], // 2·(25/12) − 8/5
    [10, 4861 / 1260], // 2·(7129/2520) − 18/10
  ])('c(%i) = %f', (n, expected) => {
    expect(averagePathLength(n)).toBeCloseTo(expected, 14);
  });

  it('gives the paper-sized subsample its exact value', () => {
    // From exact rational arithmetic over H(255).
    expect(averagePathLength(256)).toBeCloseTo(10.248689925634562, 12);
    expect(averagePathLength(1000)).toBeCloseTo(12.97094172110069, 12);
  });

  it('joins the exact sum and the asymptotic series without a step', () => {
    // H(257) exactly is 6.128236013400938; the series takes over from 257.
    expect(harmonicNumber(257)).toBeCloseTo(6.128236013400938, 13);
    expect(harmonicNumber(257) - harmonicNumber(256)).toBeCloseTo(1 / 257, 13);
  });
});
