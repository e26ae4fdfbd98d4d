// Percent-decoding that keeps going on malformed input.
import { urlDecode } from './urlDecode';

describe('urlDecode', () => {
  it('returns plain text unchanged', () => {
    expect(urlDecode('shoes', true)).toBe('shoes');
  });

  it('decodes escapes and plus as space in forms', () => {
    expect(urlDecode('caf%C3%A9+au+lait', true)).toBe('café au lait');
    expect(urlDecode('a+b', false)).toBe('a+b');
  });

  it('keeps malformed escapes as written instead of throwing', () => {
    expect(urlDecode('100%', true)).toBe('100%');
    expect(urlDecode('%zz%41', true)).toBe('%zzA');
    expect(urlDecode('%4', true)).toBe('%4');
    expect(urlDecode("%27+OR+1%3D1--+%", true)).toBe("' OR 1=1-- %");
  });

  it('turns bytes that are not UTF-8 into U+FFFD, which the shape model sees', () => {
    expect(urlDecode('ab%00%ff%fe', true)).toBe('ab\u0000\ufffd\ufffd');
    expect(urlDecode('%C3', true)).toBe('\ufffd');
  });
});
