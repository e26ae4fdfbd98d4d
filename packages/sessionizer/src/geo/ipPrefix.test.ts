import { parseIp } from './ipAddress';
import { inAnyPrefix, inPrefix, parsePrefix } from './ipPrefix';

const bytes = (text: string): Uint8Array => {
  const address = parseIp(text);
  if (address === undefined) throw new Error(`bad test address ${text}`);
  return address.bytes;
};

describe('ipPrefix', () => {
  it('matches whole and partial bytes of the prefix', () => {
    const cgnat = parsePrefix('100.64.0.0/10');
    expect(inPrefix(bytes('100.64.0.1'), cgnat)).toBe(true);
    expect(inPrefix(bytes('100.127.255.255'), cgnat)).toBe(true);
    expect(inPrefix(bytes('100.128.0.0'), cgnat)).toBe(false);
    expect(inPrefix(bytes('100.63.255.255'), cgnat)).toBe(false);
    const ula = parsePrefix('fc00::/7');
    expect(inPrefix(bytes('fd12:3456::1'), ula)).toBe(true);
    expect(inPrefix(bytes('fe00::1'), ula)).toBe(false);
  });

  it('treats a prefix without a length as one address and never mixes families', () => {
    const one = parsePrefix('::1');
    expect(one.length).toBe(128);
    expect(inPrefix(bytes('::1'), one)).toBe(true);
    expect(inPrefix(bytes('::2'), one)).toBe(false);
    expect(inAnyPrefix(bytes('0.0.0.1'), [parsePrefix('::/0')])).toBe(false);
    expect(inAnyPrefix(bytes('9.9.9.9'), [parsePrefix('0.0.0.0/0')])).toBe(true);
  });

  it('throws on a malformed prefix written in code', () => {
    expect(() => parsePrefix('10.0.0.0/33')).toThrow('10.0.0.0/33: prefix length out of range.');
    expect(() => parsePrefix('10.0.0/8')).toThrow('10.0.0/8: not an IP prefix.');
  });
});
