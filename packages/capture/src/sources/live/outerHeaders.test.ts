import { Counters } from '@sidetap/core';
import { defaultCaptureConfig } from '../../captureConfig';
import { PacketDecoder } from '../../decode';
import type { TcpSegment } from '../../decode';
import { ethernet, ipv4, tcp } from '../../decode/testPackets';
import { LINKTYPE } from '../linktypes';
import { ipv6Bytes, OuterHeaders } from './outerHeaders';

describe('ipv6Bytes', () => {
  it.each([
    ['::1', '00000000000000000000000000000001'],
    ['2001:db8::8:800:200c:417a', '20010db8000000000008080020 0c417a'.replace(' ', '')],
    ['::ffff:192.0.2.1', '00000000000000000000ffffc0000201'],
    ['::192.0.2.1', '000000000000000000000000c0000201'],
    ['fe80::1%eth0', 'fe800000000000000000000000000001'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
  ])('%s', (text, hex) => expect(ipv6Bytes(text)?.toString('hex')).toBe(hex));

  it.each(['10.0.0.1', '1:2:3', '1::2::3', '12345::1', 'g::1', '1g::1', '1:2:3:4:5:6:7:8:9'])('rejects %s', (text) => expect(ipv6Bytes(text)).toBeUndefined());
});

describe('OuterHeaders', () => {
  const inner = ethernet(0x0800, ipv4(tcp(Buffer.from('GET / HTTP/1.1\r\n\r\n'), { srcPort: 40000, dstPort: 80, flags: 0x18 })));
  const vxlanHeader = Buffer.from([0x08, 0, 0, 0, 0x00, 0x30, 0x39, 0]); // VNI 12345

  it.each([
    ['an IPv4 sender', '127.0.0.1', '192.0.2.7'],
    ['an IPv6 sender', '::', '2001:db8::7'],
    ['an IPv4-mapped sender', '::', '::ffff:192.0.2.7'],
  ])('puts the datagram of %s back behind IP and UDP headers the decoder takes off', (_name, local, from) => {
    const segments: TcpSegment[] = [];
    const counters = new Counters();
    const decoder = new PacketDecoder(defaultCaptureConfig(), counters, (s) => segments.push({ ...s }));
    const packet = new OuterHeaders(local, 4789).wrap(Buffer.concat([vxlanHeader, inner]), from, 55555);
    decoder.decode({ tsUs: 1, linktype: LINKTYPE.RAW, buf: packet.buf, offset: 0, caplen: packet.length, origLen: packet.length, iface: 0, fileOffset: 0 });
    expect(counters.snapshot()).toMatchObject({ 'capture_tunnel_packets_total{kind="vxlan"}': 1, capture_packets_decoded_total: 1 });
    expect(segments).toHaveLength(1);
    expect(segments[0]).toMatchObject({ srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 40000, dstPort: 80, vni: 12345, tunnel: 'vxlan' });
  });
});
