import { decodeEveryCut, ethernet, gre, harness, ipv4, ipv6, mpls, packet, skipped, sll, tcp, tunnels } from './testPackets';

const HTTP = Buffer.from('GET /labelled HTTP/1.1\r\n\r\n');
const innerV4 = () => ipv4(tcp(HTTP, { srcPort: 40001, dstPort: 8000 }), { src: '100.64.0.1', dst: '100.64.0.2' });
const innerV6 = () => ipv6(tcp(HTTP, { srcPort: 40001, dstPort: 8000 }), { src: '2001:db8:1::1', dst: '2001:db8:1::2' });
const CONTROL_WORD = Buffer.from([0, 0, 0, 0x2a]);
const VLAN_10 = [{ tpid: 0x8100, vid: 10 }];

describe('MPLS', () => {
  it('walks one label to IPv4 and keeps the frame VLAN (MPLS is a shim, not a tunnel)', () => {
    const h = harness();
    h.decoder.decode(packet(1, ethernet(0x8847, mpls([16], innerV4()), VLAN_10)));
    expect(h.segments[0]).toMatchObject({ srcIp: '100.64.0.1', dstIp: '100.64.0.2', srcPort: 40001, dstPort: 8000, payload: HTTP.toString('latin1'), vlan: [10], tunnel: undefined });
    expect(tunnels(h, 'mpls')).toBe(1);
  });

  it('walks two labels to IPv6, unicast and multicast', () => {
    const h = harness();
    h.decoder.decode(packet(1, ethernet(0x8847, mpls([1000, 2], innerV6()))));
    h.decoder.decode(packet(1, ethernet(0x8848, mpls([0xfffff, 17], innerV6()))));
    expect(h.segments.map((s) => [s.ipVersion, s.srcIp, s.payload])).toEqual([
      [6, '2001:db8:1::1', HTTP.toString('latin1')],
      [6, '2001:db8:1::1', HTTP.toString('latin1')],
    ]);
    expect(tunnels(h, 'mpls')).toBe(2);
  });

  it('decapsulates an Ethernet pseudowire with and without the control word', () => {
    const h = harness();
    const pwFrame = ethernet(0x0800, innerV4(), [{ tpid: 0x8100, vid: 33 }]);
    h.decoder.decode(packet(1, ethernet(0x8847, mpls([100, 200], Buffer.concat([CONTROL_WORD, pwFrame])), VLAN_10)));
    h.decoder.decode(packet(1, ethernet(0x8847, mpls([200], pwFrame), VLAN_10)));
    expect(h.segments.map((s) => [s.payload, s.vlan])).toEqual([
      [HTTP.toString('latin1'), [33]],
      [HTTP.toString('latin1'), [33]],
    ]);
  });

  it('counts a pseudowire toward maxTunnelDepth, but not plain labels', () => {
    const h = harness({ maxTunnelDepth: 0 });
    h.decoder.decode(packet(1, ethernet(0x8847, mpls([100], Buffer.concat([CONTROL_WORD, ethernet(0x0800, innerV4())])))));
    h.decoder.decode(packet(1, ethernet(0x8847, mpls([100, 101, 102], innerV4()))));
    expect(skipped(h, 'tunnel_too_deep')).toBe(1);
    expect(h.segments).toHaveLength(1);
  });

  it('counts payloads it cannot place as non_ip and a stack without bottom as truncated', () => {
    const h = harness();
    h.decoder.decode(packet(1, ethernet(0x8847, mpls([13], Buffer.concat([Buffer.from([0x10, 0, 0, 1]), Buffer.alloc(40)]))))); // G-ACh
    h.decoder.decode(packet(1, ethernet(0x8847, mpls([100], Buffer.concat([CONTROL_WORD, ethernet(0x0806, Buffer.alloc(28))])))));
    const noBottom = mpls([1, 2], innerV4());
    noBottom[6] = 0; // clear the S bit of the second label
    h.decoder.decode(packet(1, ethernet(0x8847, noBottom.subarray(0, 8))));
    expect(skipped(h, 'non_ip')).toBe(2);
    expect(skipped(h, 'truncated')).toBe(1);
    expect(tunnels(h, 'mpls')).toBe(2);
  });

  it('decodes MPLS over GRE and in Linux cooked captures', () => {
    const h = harness();
    h.decoder.decode(packet(101, ipv4(gre(0x8847, mpls([500], innerV4())), { protocol: 47 })));
    h.decoder.decode(packet(113, sll(0x8847, mpls([500, 501], innerV6()))));
    expect(h.segments.map((s) => s.ipVersion)).toEqual([4, 6]);
    expect(tunnels(h, 'gre')).toBe(1);
    expect(tunnels(h, 'mpls')).toBe(2);
  });

  it.each([
    ['two labels to IPv4', ethernet(0x8847, mpls([1, 2], innerV4()))],
    ['pseudowire with control word', ethernet(0x8847, mpls([1], Buffer.concat([CONTROL_WORD, ethernet(0x0800, innerV4())])))],
  ])('%s: every cut short of the payload is counted as truncated', (_name, frame) => {
    expect(decodeEveryCut(1, frame, HTTP.length)).toEqual(new Array<string>(frame.length - HTTP.length).fill('truncated'));
  });
});
