// The memory sketch's accuracy, its sparse-to-dense switch and unions.
import { HyperLogLog } from './hyperLogLog';

function filled(from: number, to: number, prefix = 'member-'): HyperLogLog {
  const sketch = new HyperLogLog();
  for (let i = from; i < to; i++) sketch.add(`${prefix}${i}`);
  return sketch;
}

function relativeError(estimate: number, truth: number): number {
  return Math.abs(estimate - truth) / truth;
}

describe('HyperLogLog', () => {
  it('counts nothing as 0 and a handful exactly', () => {
    expect(new HyperLogLog().count()).toBe(0);
    const sketch = filled(0, 5);
    expect(sketch.count()).toBe(5);
    expect(sketch.add('member-3')).toBe(false);
    expect(sketch.count()).toBe(5);
  });

  it.each([1_000, 10_000, 100_000, 1_000_000])('stays within 2%% of %i distinct members', (n) => {
    const sketch = filled(0, n);
    expect(relativeError(sketch.count(), n)).toBeLessThan(0.02);
  });

  it('keeps its average error near the 0.81% standard error over many sketches', () => {
    let sumSquares = 0;
    const sketches = 40;
    for (let s = 0; s < sketches; s++) sumSquares += relativeError(filled(0, 20_000, `s${s}-`).count(), 20_000) ** 2;
    expect(Math.sqrt(sumSquares / sketches)).toBeLessThan(0.0081 * 1.6);
  });

  it('turns dense without changing its registers, and sparse stays small', () => {
    const small = filled(0, 500);
    expect(small.isDense).toBe(false);
    expect(small.byteLength).toBeLessThan(4_200);
    const big = filled(0, 5_000);
    expect(big.isDense).toBe(true);
    const registers = new Uint8Array(1 << 14);
    big.mergeInto(registers);
    // Re-adding everything to a fresh sketch gives identical registers, whatever its form on the way.
    const again = new HyperLogLog();
    for (let i = 4_999; i >= 0; i--) again.add(`member-${i}`);
    const registersAgain = new Uint8Array(1 << 14);
    again.mergeInto(registersAgain);
    expect(Buffer.compare(registers, registersAgain)).toBe(0);
    expect(again.count()).toBe(big.count());
  });

  it('counts a union with overlap', () => {
    const a = filled(0, 60_000);
    const b = filled(40_000, 100_000);
    expect(relativeError(HyperLogLog.countUnion([a, b]), 100_000)).toBeLessThan(0.02);
    expect(HyperLogLog.countUnion([a])).toBe(a.count());
    expect(HyperLogLog.countUnion([])).toBe(0);
    // A sparse sketch merges into a dense union too.
    expect(relativeError(HyperLogLog.countUnion([a, filled(200_000, 200_100)]), 60_100)).toBeLessThan(0.02);
  });

  it('hashes strings as UTF-8 bytes: a string and its bytes are one member', () => {
    const sketch = new HyperLogLog();
    expect(sketch.add('naïve-用户-🙂')).toBe(true);
    expect(sketch.add(Buffer.from('naïve-用户-🙂', 'utf8'))).toBe(false);
    const long = 'x'.repeat(100_000);
    expect(sketch.add(long)).toBe(true);
    expect(sketch.add(Buffer.from(long))).toBe(false);
    expect(sketch.count()).toBe(2);
  });
});
