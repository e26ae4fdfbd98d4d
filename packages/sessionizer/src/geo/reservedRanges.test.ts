import { isAnycastAddress } from './anycastRanges';
import { parseIp } from './ipAddress';
import { isReservedAddress } from './reservedRanges';

const bytes = (text: string): Uint8Array => {
  const address = parseIp(text);
  if (address === undefined) throw new Error(`bad test address ${text}`);
  return address.bytes;
};

describe('isReservedAddress', () => {
  it.each([
    '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.0.1', '127.0.0.1', '169.254.169.254',
    '100.64.0.1', '100.127.255.254', '0.0.0.0', '0.1.2.3', '192.0.0.8', '192.0.2.1', '198.18.0.1', '198.19.255.255',
    '198.51.100.7', '203.0.113.9', '224.0.0.251', '239.255.255.250', '240.0.0.1', '255.255.255.255',
    '::1', '::', 'fc00::1', 'fd00:abcd::1', 'fe80::1', 'febf:ffff::1', 'ff02::1', '2001:db8::1', '64:ff9b::808:808',
  ])('%s is reserved', (text) => {
    expect(isReservedAddress(bytes(text))).toBe(true);
  });

  it.each(['9.255.255.255', '11.0.0.0', '172.15.255.255', '172.32.0.0', '192.167.255.255', '192.169.0.0', '100.63.255.255', '100.128.0.0', '169.253.1.1', '198.20.0.0', '223.255.255.255', '1.1.1.1', '2001:db9::1', 'fec0::1', '2a00:1450::1', '64:ff9b:1::1', '::2'])(
    '%s is public',
    (text) => {
      expect(isReservedAddress(bytes(text))).toBe(false);
    },
  );
});

describe('isAnycastAddress', () => {
  it.each(['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4', '9.9.9.9', '149.112.112.112', '208.67.222.222', '208.67.220.220', '2606:4700:4700::1111', '2001:4860:4860::8888', '2620:fe::fe'])(
    '%s is anycast',
    (text) => {
      expect(isAnycastAddress(bytes(text))).toBe(true);
    },
  );

  it.each(['1.1.2.1', '8.8.9.8', '2606:4700:4701::1', '17.253.144.10'])('%s is not', (text) => {
    expect(isAnycastAddress(bytes(text))).toBe(false);
  });
});
