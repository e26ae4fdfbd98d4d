import { RetainBudget } from './retainBudget';
import { RetainedData } from './retainedData';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('RetainedData', () => {
  it('keeps bytes across chunks and sequence wraparound and compares any overlap with them', () => {
    const budget = new RetainBudget(64, 4);
    const kept = new RetainedData(budget, 16);
    expect(kept.append(0xffff_fffe, bytes('abcdef'))).toBe(true);
    expect(kept.append(4, bytes('ghij'))).toBe(true);
    expect(kept.bytes).toBe(10);
    expect(budget.bytes).toBe(12);
    expect(kept.differs(0xffff_fffe, bytes('abcdefghij'), 10)).toBe(false);
    expect(kept.differs(2, bytes('efgh'), 4)).toBe(false);
    expect(kept.differs(2, bytes('efgX'), 4)).toBe(true);
    expect(kept.differs(2, bytes('efgX'), 3)).toBe(false);
    // Bytes before or after the kept run are not compared.
    expect(kept.differs(0xffff_fffc, bytes('XXab'), 4)).toBe(false);
    expect(kept.differs(7, bytes('jXXX'), 4)).toBe(false);
    expect(kept.differs(7, bytes('XXXX'), 4)).toBe(true);
  });

  it('releases the oldest chunks as bytes are released, and everything on clear', () => {
    const budget = new RetainBudget(64, 4);
    const kept = new RetainedData(budget, 16);
    kept.append(100, bytes('abcdefghij'));
    kept.releaseTo(99);
    expect(kept.bytes).toBe(10);
    kept.releaseTo(105);
    expect([kept.bytes, budget.bytes]).toEqual([5, 8]);
    expect(kept.differs(103, bytes('XXfgh'), 5)).toBe(false);
    expect(kept.differs(103, bytes('XXfgX'), 5)).toBe(true);
    kept.clear();
    expect([kept.bytes, budget.bytes]).toEqual([0, 0]);
    expect(kept.differs(105, bytes('XXXXX'), 5)).toBe(false);
  });

  it('keeps only one contiguous run, within the cap and the budget', () => {
    const budget = new RetainBudget(8, 4);
    const kept = new RetainedData(budget, 6);
    expect(kept.append(0, bytes('abcd'))).toBe(true);
    expect(kept.append(4, bytes('efg'))).toBe(false);
    expect(kept.append(7, bytes('h'))).toBe(false);
    expect(kept.append(4, bytes('ef'))).toBe(true);
    const other = new RetainedData(budget, 6);
    expect(other.append(0, bytes('x'))).toBe(false);
    kept.releaseTo(6);
    expect(budget.bytes).toBe(0);
    expect(other.append(0, bytes('x'))).toBe(true);
  });

  it('releases one ACK late: what an ACK covers goes when a later ACK arrives', () => {
    const budget = new RetainBudget(64, 4);
    const kept = new RetainedData(budget, 16);
    kept.append(10, bytes('abcdefgh'));
    kept.onAck(14);
    kept.onAck(14);
    kept.onAck(12);
    expect(kept.bytes).toBe(8);
    kept.onAck(16);
    expect(kept.bytes).toBe(4);
    kept.onAck(18);
    expect([kept.bytes, budget.bytes]).toEqual([2, 4]);
  });
});
