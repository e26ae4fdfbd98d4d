import { TopCounter } from './topCounter';

describe('TopCounter', () => {
  it('counts exactly while the keys fit', () => {
    const c = new TopCounter(10, () => ({ seen: 0 }));
    for (const k of ['a', 'b', 'a', 'c', 'a', 'b']) c.add(k).seen++;
    expect(c.exact).toBe(true);
    expect(c.top(2).map((e) => [e.key, e.count, e.overcount, e.extra.seen])).toEqual([
      ['a', 3, 0, 3],
      ['b', 2, 0, 2],
    ]);
    expect(c.distinctAtLeast).toBe(3);
  });

  it('keeps a heavy key that arrives late among many light ones, with a bound that holds its true count', () => {
    const c = new TopCounter(50, () => null);
    // 20,000 keys seen once each, then the heavy one 300 times interleaved with more light ones.
    for (let i = 0; i < 20_000; i++) c.add(`light-${i}`);
    for (let i = 0; i < 300; i++) {
      c.add('heavy');
      c.add(`late-${i}`);
    }
    expect(c.exact).toBe(false);
    expect(c.distinctAtLeast).toBeLessThanOrEqual(100);
    const [first] = c.top(1);
    expect(first!.key).toBe('heavy');
    expect(first!.count - first!.overcount).toBeLessThanOrEqual(300);
    expect(first!.count).toBeGreaterThanOrEqual(300);
    expect(c.counted).toBe(20_600);
  });
});
