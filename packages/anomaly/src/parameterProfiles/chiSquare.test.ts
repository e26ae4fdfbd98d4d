// The closed-form chi-square tails against tabulated critical values.
import { chiSquareUpperTail, erfc } from './chiSquare';

describe('chiSquareUpperTail', () => {
  it('matches tabulated 5% and 1% critical values for 1 to 5 degrees of freedom', () => {
    const table: Array<[number, number, number]> = [
      [1, 3.841, 0.05],
      [2, 5.991, 0.05],
      [3, 7.815, 0.05],
      [4, 9.488, 0.05],
      [5, 11.07, 0.05],
      [1, 6.635, 0.01],
      [3, 11.345, 0.01],
      [5, 15.086, 0.01],
    ];
    for (const [k, x, p] of table) expect(chiSquareUpperTail(x, k)).toBeCloseTo(p, 4);
  });

  it('is 1 at zero and 0 far out', () => {
    expect(chiSquareUpperTail(0, 5)).toBe(1);
    expect(chiSquareUpperTail(5000, 5)).toBe(0);
    expect(chiSquareUpperTail(Number.NaN, 3)).toBe(1);
  });

  it('erfc is accurate to about 1e-7', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700793, 7);
  });
});
