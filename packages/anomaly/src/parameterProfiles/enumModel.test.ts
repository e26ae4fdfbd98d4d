// The token finder: small sets learned, outsiders judged by how often new values turned up.
import { EnumModel } from './enumModel';

const limits = { maxEnumValues: 8, enumMaxDistinct: 4, maxEnumValueLength: 16 };

describe('EnumModel', () => {
  it('learns a small set and judges outsiders by the Good–Turing rate of new values', () => {
    const m = new EnumModel();
    for (let i = 0; i < 200; i++) m.learn(['asc', 'desc'][i % 2] ?? 'asc', limits);
    expect(m.isEnumeration(limits)).toBe(true);
    expect(m.pValue('asc', 200)).toBe(1);
    expect(m.pValue('ascx', 200)).toBeCloseTo(1 / 201, 12);
  });

  it('stays lenient while new values keep turning up', () => {
    const m = new EnumModel();
    ['a', 'a', 'a', 'b', 'c', 'd'].forEach((v) => m.learn(v, limits));
    // b, c and d were each seen once: new values are still common.
    expect(m.pValue('e', 6)).toBeCloseTo(4 / 7, 12);
  });

  it('is no enumeration past enumMaxDistinct, and drops its set past maxEnumValues', () => {
    const m = new EnumModel();
    const closed = ['a', 'b', 'c', 'd', 'e'].map((v) => m.learn(v, limits));
    expect(closed.every((c) => !c)).toBe(true);
    expect(m.isEnumeration(limits)).toBe(false);
    for (const v of ['f', 'g', 'h']) expect(m.learn(v, limits)).toBe(false);
    expect(m.learn('i', limits)).toBe(true);
    expect(m.values).toBeNull();
    expect(m.pValue('zzz', 10)).toBe(1);
    expect(m.learn('j', limits)).toBe(false);
  });

  it('treats long values as data, never tokens', () => {
    const m = new EnumModel();
    m.learn('x'.repeat(17), limits);
    expect(m.values).toBeNull();
  });
});
