import { seqAdd, seqDiff, seqGt, seqLe, seqLt } from './seq';

describe('sequence arithmetic modulo 2^32', () => {
  it('orders numbers across the wraparound', () => {
    expect(seqDiff(5, 0xffff_fffb)).toBe(10);
    expect(seqDiff(0xffff_fffb, 5)).toBe(-10);
    expect(seqLt(0xffff_ffff, 0)).toBe(true);
    expect(seqGt(0, 0xffff_ffff)).toBe(true);
    expect(seqLe(7, 7)).toBe(true);
    expect(seqLt(7, 7)).toBe(false);
  });

  it('adds modulo 2^32 and stays unsigned', () => {
    expect(seqAdd(0xffff_ffff, 1)).toBe(0);
    expect(seqAdd(0xffff_fff0, 0x20)).toBe(0x10);
    expect(seqAdd(0, -1)).toBe(0xffff_ffff);
  });
});
