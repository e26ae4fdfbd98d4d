import { BufferBudget } from './bufferBudget';
import { ReassemblyBuffer } from './reassemblyBuffer';
import type { BufferedSegment } from './reassemblyBuffer';

const held = (buffer: ReassemblyBuffer): string[] => {
  const out: string[] = [];
  for (let s: BufferedSegment | undefined; (s = buffer.shift()) !== undefined; ) out.push(`${s.seq}:${s.data.toString()}`);
  return out;
};

describe('ReassemblyBuffer', () => {
  it('keeps segments sorted whatever the arrival order', () => {
    const buffer = new ReassemblyBuffer();
    buffer.insert(20, Buffer.from('uv'), 0);
    buffer.insert(10, Buffer.from('kl'), 0);
    buffer.insert(30, Buffer.from('EF'), 0);
    expect(buffer.count).toBe(3);
    expect(buffer.bytes).toBe(6);
    expect(held(buffer)).toEqual(['10:kl', '20:uv', '30:EF']);
    expect(buffer.bytes).toBe(0);
  });

  it('copies the data it holds', () => {
    const buffer = new ReassemblyBuffer();
    const data = Buffer.from('abc');
    buffer.insert(5, data, 0);
    data.fill(0);
    expect(buffer.first()?.data.toString()).toBe('abc');
  });

  it('holds only the new parts of overlapping data, keeping the first copy', () => {
    const buffer = new ReassemblyBuffer();
    buffer.insert(13, Buffer.from('DE'), 10);
    buffer.insert(17, Buffer.from('HI'), 10);
    const result = buffer.insert(11, Buffer.from('bcdefghijk'), 10);
    expect(result).toEqual({ overlapBytes: 4, conflict: true });
    expect(held(buffer)).toEqual(['11:bc', '13:DE', '15:fg', '17:HI', '19:jk']);
  });

  it('reports no conflict when overlapping bytes agree', () => {
    const buffer = new ReassemblyBuffer();
    buffer.insert(3, Buffer.from('cd'), 0);
    expect(buffer.insert(2, Buffer.from('bcde'), 0)).toEqual({ overlapBytes: 2, conflict: false });
    expect(buffer.insert(3, Buffer.from('c'), 0)).toEqual({ overlapBytes: 1, conflict: false });
    expect(held(buffer)).toEqual(['2:b', '3:cd', '5:e']);
  });

  it('compares positions relative to the next expected byte across 2^32', () => {
    const buffer = new ReassemblyBuffer();
    const base = 0xffff_fff0;
    buffer.insert(4, Buffer.from('late'), base);
    buffer.insert(0xffff_fffe, Buffer.from('wrap'), base);
    expect(held(buffer)).toEqual([`${0xffff_fffe}:wrap`, '4:late']);
  });

  it('counts exactly the bytes it copies in and gives back in a shared budget, oldest holder first', () => {
    const budget = new BufferBudget(8);
    const given: string[] = [];
    const a: ReassemblyBuffer = new ReassemblyBuffer(budget, {
      giveUpHole: () => {
        given.push('a');
        a.shift();
      },
    });
    const b: ReassemblyBuffer = new ReassemblyBuffer(budget, {
      giveUpHole: () => {
        given.push('b');
        b.shift();
      },
    });
    a.insert(10, Buffer.from('abcd'), 0);
    b.insert(10, Buffer.from('wxyz'), 0);
    a.insert(12, Buffer.from('cdef'), 0);
    expect(budget.bytes).toBe(10);
    budget.makeRoom(b, 0);
    expect(given).toEqual(['a']);
    expect(budget.bytes).toBe(6);
    a.clear();
    b.shift();
    expect(budget.bytes).toBe(0);
    a.insert(10, Buffer.from('abcdefghi'), 0);
    b.insert(10, Buffer.from('w'), 0);
    budget.makeRoom(a, 0);
    expect(given).toEqual(['a', 'a']);
    expect(budget.bytes).toBe(1);
  });
});
