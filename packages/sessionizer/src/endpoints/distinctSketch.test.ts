import { DistinctSketch } from './distinctSketch';

describe('DistinctSketch', () => {
  it('estimates distinct counts within a few percent and ignores repeats', () => {
    for (const n of [10, 50, 200, 1000]) {
      const sketch = new DistinctSketch();
      for (let round = 0; round < 3; round++) for (let i = 0; i < n; i++) sketch.add(`user-${i}`);
      expect(Math.abs(sketch.estimate() - n) / n).toBeLessThan(0.1);
    }
  });

  it('round-trips through JSON', () => {
    const sketch = new DistinctSketch();
    for (let i = 0; i < 40; i++) sketch.add(String(i));
    const copy = new DistinctSketch(JSON.parse(JSON.stringify(sketch)) as number[]);
    expect(copy.estimate()).toBe(sketch.estimate());
  });

  it('saturates to Infinity instead of overflowing', () => {
    const sketch = new DistinctSketch();
    for (let i = 0; i < 20_000; i++) sketch.add(`v${i}`);
    expect(sketch.estimate()).toBe(Infinity);
  });
});
