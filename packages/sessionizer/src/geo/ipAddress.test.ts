import { formatIpv4, formatIpv6, mappedIpv4, parseIp } from './ipAddress';

const bytesOf = (text: string): number[] | undefined => {
  const address = parseIp(text);
  return address === undefined ? undefined : [...address.bytes];
};

describe('parseIp', () => {
  it('reads dotted-quad IPv4', () => {
    expect(parseIp('192.168.1.20')).toEqual({ family: 4, bytes: Uint8Array.from([192, 168, 1, 20]) });
    expect(bytesOf('0.0.0.0')).toEqual([0, 0, 0, 0]);
    expect(bytesOf('255.255.255.255')).toEqual([255, 255, 255, 255]);
  });

  it.each(['', ' 1.2.3.4', '1.2.3.4 ', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', '01.2.3.4', '1.2.3.-4', '1.2.3.4/24', 'a.b.c.d', 'localhost'])(
    'refuses IPv4 text %j',
    (text) => {
      expect(parseIp(text)).toBeUndefined();
    },
  );

  it('reads IPv6 in full, compressed and mixed forms', () => {
    expect(bytesOf('::')).toEqual(new Array(16).fill(0));
    expect(bytesOf('::1')).toEqual([...new Array(15).fill(0), 1]);
    expect(bytesOf('2001:db8::8a2e:370:7334')).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x34]);
    expect(bytesOf('2001:0DB8:0:0:0:0:0:1')).toEqual(bytesOf('2001:db8::1'));
    expect(bytesOf('fe80::')).toEqual([0xfe, 0x80, ...new Array(14).fill(0)]);
    expect(bytesOf('::ffff:10.1.2.3')).toEqual([...new Array(10).fill(0), 0xff, 0xff, 10, 1, 2, 3]);
    expect(bytesOf('::ffff:a01:203')).toEqual(bytesOf('::ffff:10.1.2.3'));
    expect(bytesOf('1:2:3:4:5:6:7::')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]);
    expect(bytesOf('fe80::1%eth0')).toEqual(bytesOf('fe80::1'));
  });

  it.each([':', ':::', '1:2', ':1::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', '12345::', 'g::1', '1::2:', '::ffff:1.2.3', '1.2.3.4::', '::1%', '%eth0', '1:2:3:4:5:6:7:1.2.3.4'])(
    'refuses IPv6 text %j',
    (text) => {
      expect(parseIp(text)).toBeUndefined();
    },
  );
});

describe('mappedIpv4', () => {
  it('unwraps ::ffff:a.b.c.d and nothing else', () => {
    const mapped = parseIp('::ffff:8.8.4.4');
    expect(mapped && [...(mappedIpv4(mapped.bytes) ?? [])]).toEqual([8, 8, 4, 4]);
    const compatible = parseIp('::8.8.4.4');
    expect(compatible && mappedIpv4(compatible.bytes)).toBeUndefined();
    const other = parseIp('1::ffff:8.8.4.4');
    expect(other && mappedIpv4(other.bytes)).toBeUndefined();
  });
});

describe('formatting', () => {
  it('round-trips through the forms handed to the database reader', () => {
    expect(formatIpv4(Uint8Array.from([203, 0, 113, 9]))).toBe('203.0.113.9');
    const address = parseIp('2001:db8::1');
    expect(address && formatIpv6(address.bytes)).toBe('2001:db8:0:0:0:0:0:1');
  });
});
