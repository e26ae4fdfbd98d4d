import { gzipHeaderLength } from './gzipHeader';

describe('gzipHeaderLength', () => {
  const basic = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xaa]);

  it('measures a plain header', () => {
    expect(gzipHeaderLength(basic, 0)).toBe(10);
  });

  it('reports an incomplete header as 0 and a foreign one as -1', () => {
    expect(gzipHeaderLength(basic.subarray(0, 4), 0)).toBe(0);
    expect(gzipHeaderLength(Buffer.from([0x1f]), 0)).toBe(0);
    expect(gzipHeaderLength(Buffer.from([0x1f, 0x8c]), 0)).toBe(-1);
    expect(gzipHeaderLength(Buffer.from([0x1f, 0x8b, 9]), 0)).toBe(-1);
    expect(gzipHeaderLength(Buffer.from('{"a":1}'), 0)).toBe(-1);
  });

  it('skips the optional fields and waits for them when cut', () => {
    const h = Buffer.from([0x1f, 0x8b, 8, 0x1e, 0, 0, 0, 0, 0, 3, 2, 0, 9, 9, 0x41, 0, 0x42, 0, 1, 2]);
    expect(gzipHeaderLength(h, 0)).toBe(20);
    for (let cut = 10; cut < 20; cut++) expect(gzipHeaderLength(h.subarray(0, cut), 0)).toBe(0);
  });

  it('refuses a huge extra field length as incomplete, not out of bounds', () => {
    const h = Buffer.from([0x1f, 0x8b, 8, 0x04, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 1]);
    expect(gzipHeaderLength(h, 0)).toBe(0);
  });

  it('reads a header at an offset', () => {
    expect(gzipHeaderLength(Buffer.concat([Buffer.from('xy'), basic]), 2)).toBe(10);
  });
});
