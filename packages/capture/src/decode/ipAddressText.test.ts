import { IpAddressText, formatIpv6 } from './ipAddressText';
import { ipv6Bytes } from './testPackets';

const v6 = (text: string): string => formatIpv6(ipv6Bytes(text), 0);

describe('formatIpv6 (RFC 5952)', () => {
  it('compresses the longest zero run and drops leading zeros, in lower case', () => {
    expect(v6('2001:0DB8:0000:0000:0000:0000:0002:0001')).toBe('2001:db8::2:1');
    expect(v6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
  });
  it('compresses the first run when two are equally long', () => {
    expect(v6('2001:0:0:1:0:0:1:1')).toBe('2001::1:0:0:1:1');
  });
  it('never compresses a single zero group', () => {
    expect(v6('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
  });
  it('handles runs at either end and the all-zero address', () => {
    expect(v6('0:0:0:0:0:0:0:0')).toBe('::');
    expect(v6('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(v6('fe80:0:0:0:0:0:0:0')).toBe('fe80::');
    expect(v6('0:0:1:2:3:4:5:6')).toBe('::1:2:3:4:5:6');
  });
  it('writes IPv4-mapped addresses with a dotted tail', () => {
    expect(v6('::ffff:c000:0280')).toBe('::ffff:192.0.2.128');
  });
  it('leaves other embedded forms in hex', () => {
    expect(v6('::c000:0280')).toBe('::c000:280');
    expect(v6('64:ff9b::c000:0280')).toBe('64:ff9b::c000:280');
  });
});

describe('IpAddressText', () => {
  it('formats IPv4 in dotted decimal and returns the cached string for a repeated address', () => {
    const text = new IpAddressText();
    const first = text.ipv4(Buffer.from([9, 192, 168, 0, 255]), 1);
    expect(first).toBe('192.168.0.255');
    expect(text.ipv4(Buffer.from([192, 168, 0, 255]), 0)).toBe(first);
    expect(text.ipv4(Buffer.from([0, 0, 0, 0]), 0)).toBe('0.0.0.0');
  });
  it('never returns a stale entry when two addresses share a cache slot', () => {
    const text = new IpAddressText();
    const buf = Buffer.alloc(4);
    for (let i = 0; i < 5000; i++) {
      buf.writeUInt32BE((i * 2654435761) >>> 0, 0);
      expect(text.ipv4(buf, 0)).toBe([...buf].join('.'));
    }
    const six = Buffer.alloc(16);
    for (let i = 0; i < 2000; i++) {
      six.writeUInt32BE(i, 12);
      six.writeUInt32BE(0x20010db8, 0);
      expect(text.ipv6(six, 0)).toBe(formatIpv6(six, 0));
      expect(text.ipv6(six, 0)).toBe(i === 0 ? '2001:db8::' : `2001:db8::${i.toString(16)}`);
    }
  });
});
