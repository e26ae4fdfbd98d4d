import { decodeEveryCut, ethernet, harness, ipv4, ipv6, mpls, packet, pppoe, skipped, sll, sll2, tcp, tunnels } from './testPackets';

const HTTP = Buffer.from('POST /login HTTP/1.1\r\n\r\n');
const innerV4 = () => ipv4(tcp(HTTP, { srcPort: 50100, dstPort: 80 }), { src: '100.100.1.1', dst: '203.0.113.9' });
const innerV6 = () => ipv6(tcp(HTTP, { srcPort: 50100, dstPort: 80 }), { src: '2001:db8:aa::1', dst: '2001:db8:bb::1' });

describe('PPPoE sessions', () => {
  it('decodes IPv4 and IPv6 and keeps the frame VLAN', () => {
    const h = harness();
    h.decoder.decode(packet(1, ethernet(0x8864, pppoe(0x0021, innerV4()), [{ tpid: 0x8100, vid: 801 }])));
    h.decoder.decode(packet(1, ethernet(0x8864, pppoe(0x0057, innerV6()))));
    expect(h.segments.map((s) => [s.srcIp, s.dstIp, s.srcPort, s.payload, s.vlan])).toEqual([
      ['100.100.1.1', '203.0.113.9', 50100, HTTP.toString('latin1'), [801]],
      ['2001:db8:aa::1', '2001:db8:bb::1', 50100, HTTP.toString('latin1'), undefined],
    ]);
    expect(tunnels(h, 'pppoe')).toBe(2);
  });

  it('follows MPLS inside PPP', () => {
    const h = harness();
    h.decoder.decode(packet(1, ethernet(0x8864, pppoe(0x0281, mpls([16], innerV4())))));
    expect(h.segments).toHaveLength(1);
    expect(tunnels(h, 'mpls')).toBe(1);
  });

  it('counts control protocols as non_ip, bad version or code as bad_header, discovery as non_ip', () => {
    const h = harness();
    h.decoder.decode(packet(1, ethernet(0x8864, pppoe(0xc021, Buffer.alloc(10))))); // LCP
    const badCode = pppoe(0x0021, innerV4());
    badCode[1] = 0x09; // PADI belongs to discovery, not to a session
    h.decoder.decode(packet(1, ethernet(0x8864, badCode)));
    h.decoder.decode(packet(1, ethernet(0x8863, Buffer.alloc(20))));
    expect(skipped(h, 'non_ip')).toBe(2);
    expect(skipped(h, 'bad_header')).toBe(1);
    expect(h.segments).toHaveLength(0);
  });

  it('bounds the payload by the PPPoE length field', () => {
    const h = harness();
    const inner = innerV4();
    h.decoder.decode(packet(1, ethernet(0x8864, pppoe(0x0021, inner, 0x42, inner.length + 2 - 4))));
    expect(h.segments[0]?.payload).toBe(HTTP.toString('latin1').slice(0, -4));
    expect(h.counters.get('capture_packets_snapped_total')).toBe(1);
  });

  it('decodes PPPoE in Linux cooked captures (SLL and SLL2)', () => {
    const h = harness();
    h.decoder.decode(packet(113, sll(0x8864, pppoe(0x0021, innerV4()))));
    h.decoder.decode(packet(276, sll2(0x8864, pppoe(0x0057, innerV6()))));
    expect(h.segments.map((s) => s.ipVersion)).toEqual([4, 6]);
  });

  it('every cut short of the payload is counted as truncated', () => {
    const frame = ethernet(0x8864, pppoe(0x0021, innerV4()), [{ tpid: 0x8100, vid: 2 }]);
    expect(decodeEveryCut(1, frame, HTTP.length)).toEqual(new Array<string>(frame.length - HTTP.length).fill('truncated'));
  });
});

describe('PPP link types', () => {
  it('decodes LINKTYPE_PPP with and without HDLC-like framing and with a compressed protocol', () => {
    const h = harness();
    h.decoder.decode(packet(9, Buffer.concat([Buffer.from([0xff, 0x03, 0x00, 0x21]), innerV4()])));
    h.decoder.decode(packet(9, Buffer.concat([Buffer.from([0x00, 0x57]), innerV6()])));
    h.decoder.decode(packet(9, Buffer.concat([Buffer.from([0xff, 0x03, 0x21]), innerV4()])));
    h.decoder.decode(packet(9, Buffer.concat([Buffer.from([0xc0, 0x21]), Buffer.alloc(8)])));
    expect(h.segments.map((s) => s.ipVersion)).toEqual([4, 6, 4]);
    expect(skipped(h, 'non_ip')).toBe(1);
    expect(tunnels(h, 'pppoe')).toBe(0);
  });

  it('decodes LINKTYPE_PPP_ETHER (51): a PPPoE header with no Ethernet header', () => {
    const h = harness();
    h.decoder.decode(packet(51, pppoe(0x0021, innerV4())));
    expect(h.segments[0]).toMatchObject({ srcIp: '100.100.1.1', payload: HTTP.toString('latin1') });
    expect(tunnels(h, 'pppoe')).toBe(1);
  });

  it.each([
    [9, Buffer.concat([Buffer.from([0xff, 0x03, 0x00, 0x21]), innerV4()])],
    [51, pppoe(0x0057, innerV6())],
  ])('linktype %d: every cut short of the payload is counted as truncated', (linktype, bytes) => {
    expect(decodeEveryCut(linktype, bytes, HTTP.length)).toEqual(new Array<string>(bytes.length - HTTP.length).fill('truncated'));
  });
});
