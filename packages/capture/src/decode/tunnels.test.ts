import { decodeEveryCut, erspanII, ethernet, geneve, gre, harness, ipv4, ipv6, packet, skipped, tcp, tunnels, udp, vxlan } from './testPackets';

const HTTP = Buffer.from('GET /inner HTTP/1.1\r\n\r\n');
const innerFrame = (vlans: Array<{ tpid: number; vid: number }> = []) =>
  ethernet(0x0800, ipv4(tcp(HTTP, { dstPort: 8080 }), { src: '172.16.0.1', dst: '172.16.0.2' }), vlans);
const overUdp = (payload: Buffer, port: number) => ipv4(udp(payload, port), { protocol: 17, src: '10.1.1.1', dst: '10.1.1.2' });

describe('VXLAN', () => {
  it('decapsulates VXLAN inside 802.1Q without leaking the outer VLAN', () => {
    const h = harness();
    const outer = ethernet(0x0800, overUdp(vxlan(0xabcdef, innerFrame()), 4789), [{ tpid: 0x8100, vid: 10 }]);
    h.decoder.decode(packet(1, outer));
    expect(h.segments[0]).toMatchObject({ srcIp: '172.16.0.1', dstPort: 8080, vni: 0xabcdef, tunnel: 'vxlan', vlan: undefined, payload: HTTP.toString('latin1') });
    expect(h.counters.get('capture_tunnel_packets_total{kind="vxlan"}')).toBe(1);
  });

  it('records the VLAN of the inner frame', () => {
    const h = harness();
    h.decoder.decode(packet(1, ethernet(0x0800, overUdp(vxlan(5, innerFrame([{ tpid: 0x8100, vid: 33 }])), 4789), [{ tpid: 0x8100, vid: 10 }])));
    expect(h.segments[0]?.vlan).toEqual([33]);
  });

  it('works over an IPv6 underlay and on configured ports', () => {
    const h = harness({ vxlanPorts: [8472] });
    h.decoder.decode(packet(1, ethernet(0x86dd, ipv6(udp(vxlan(77, innerFrame()), 8472), { nextHeader: 17 }))));
    h.decoder.decode(packet(1, ethernet(0x0800, overUdp(vxlan(77, innerFrame()), 4789))));
    expect(h.segments.map((s) => s.vni)).toEqual([77]);
    expect(h.counters.get('capture_packets_skipped_total{reason="udp"}')).toBe(1);
  });

  it('drops VXLAN without the I flag as a bad header', () => {
    const h = harness();
    h.decoder.decode(packet(1, ethernet(0x0800, overUdp(vxlan(5, innerFrame(), 0x00), 4789))));
    expect(h.segments).toHaveLength(0);
    expect(h.counters.get('capture_packets_skipped_total{reason="bad_header"}')).toBe(1);
  });

  it('ends the inner frame at the UDP length, not at trailing bytes', () => {
    const h = harness();
    const datagram = udp(vxlan(5, innerFrame()), 4789);
    const withTrailer = ipv4(Buffer.concat([datagram, Buffer.from('TRAILER')]), { protocol: 17 });
    h.decoder.decode(packet(101, withTrailer));
    expect(h.segments[0]?.payload).toBe(HTTP.toString('latin1'));
  });
});

describe('GENEVE', () => {
  it('skips options and decapsulates an inner Ethernet frame', () => {
    const h = harness();
    const options = Buffer.alloc(12, 0x5a); // three 4-byte words of TLVs
    h.decoder.decode(packet(1, ethernet(0x0800, overUdp(geneve(0x123456, 0x6558, innerFrame(), options), 6081))));
    expect(h.segments[0]).toMatchObject({ vni: 0x123456, tunnel: 'geneve', payload: HTTP.toString('latin1') });
    expect(h.counters.get('capture_tunnel_packets_total{kind="geneve"}')).toBe(1);
  });

  it('decapsulates inner IPv4 and IPv6 without an Ethernet header', () => {
    const h = harness();
    h.decoder.decode(packet(1, ethernet(0x0800, overUdp(geneve(1, 0x0800, ipv4(tcp(HTTP))), 6081))));
    h.decoder.decode(packet(1, ethernet(0x0800, overUdp(geneve(2, 0x86dd, ipv6(tcp(HTTP))), 6081), [{ tpid: 0x8100, vid: 9 }])));
    expect(h.segments.map((s) => [s.ipVersion, s.vni, s.vlan])).toEqual([
      [4, 1, undefined],
      [6, 2, undefined],
    ]);
  });

  it('counts unknown versions, unknown protocols and options past the end', () => {
    const h = harness();
    h.decoder.decode(packet(101, overUdp(geneve(1, 0x6558, innerFrame(), Buffer.alloc(0), 1), 6081)));
    h.decoder.decode(packet(101, overUdp(geneve(1, 0x0806, Buffer.alloc(28)), 6081)));
    const cut = geneve(1, 0x6558, Buffer.alloc(0));
    cut[0] = 0x3f; // 252 bytes of options announced, none present
    h.decoder.decode(packet(101, overUdp(cut, 6081)));
    expect(h.counters.get('capture_packets_skipped_total{reason="bad_header"}')).toBe(1);
    expect(h.counters.get('capture_packets_skipped_total{reason="non_ip"}')).toBe(1);
    expect(h.counters.get('capture_packets_skipped_total{reason="truncated"}')).toBe(1);
  });
});

describe('nested tunnels', () => {
  const nested = () => overUdp(geneve(100, 0x6558, ethernet(0x0800, overUdp(vxlan(200, innerFrame([{ tpid: 0x8100, vid: 44 }])), 4789), [{ tpid: 0x8100, vid: 12 }])), 6081);

  it('records the innermost VNI, tunnel kind and VLAN', () => {
    const h = harness();
    h.decoder.decode(packet(101, nested()));
    expect(h.segments[0]).toMatchObject({ vni: 200, tunnel: 'vxlan', vlan: [44] });
    expect(h.counters.get('capture_tunnel_packets_total{kind="geneve"}')).toBe(1);
    expect(h.counters.get('capture_tunnel_packets_total{kind="vxlan"}')).toBe(1);
  });

  it('stops at maxTunnelDepth and counts it', () => {
    const one = harness({ maxTunnelDepth: 1 });
    one.decoder.decode(packet(101, nested()));
    const none = harness({ maxTunnelDepth: 0 });
    none.decoder.decode(packet(101, overUdp(vxlan(1, innerFrame()), 4789)));
    for (const h of [one, none]) {
      expect(h.segments).toHaveLength(0);
      expect(h.counters.get('capture_packets_skipped_total{reason="tunnel_too_deep"}')).toBe(1);
    }
  });

  it('does not carry a tunnel VNI over to the next packet', () => {
    const h = harness();
    h.decoder.decode(packet(101, nested()));
    h.decoder.decode(packet(101, ipv4(tcp(HTTP))));
    expect(h.segments[1]).toMatchObject({ vni: undefined, tunnel: undefined, vlan: undefined });
  });
});

describe('IP in IP', () => {
  const v4 = () => ipv4(tcp(HTTP, { dstPort: 8080 }), { src: '172.16.0.1', dst: '172.16.0.2' });
  const v6 = () => ipv6(tcp(HTTP, { dstPort: 8080 }), { src: 'fd00:1::1', dst: 'fd00:1::2' });

  it('decapsulates IPv4 in IPv4, IPv6 in IPv4 (6in4), IPv4 in IPv6 and IPv6 in IPv6', () => {
    const h = harness();
    h.decoder.decode(packet(1, ethernet(0x0800, ipv4(v4(), { protocol: 4 }), [{ tpid: 0x8100, vid: 10 }])));
    h.decoder.decode(packet(101, ipv4(v6(), { protocol: 41 })));
    h.decoder.decode(packet(101, ipv6(v4(), { nextHeader: 4 })));
    h.decoder.decode(packet(101, ipv6(v6(), { nextHeader: 41 })));
    expect(h.segments.map((s) => [s.ipVersion, s.srcIp, s.dstIp, s.dstPort, s.payload, s.vlan, s.tunnel])).toEqual([
      [4, '172.16.0.1', '172.16.0.2', 8080, HTTP.toString('latin1'), undefined, undefined],
      [6, 'fd00:1::1', 'fd00:1::2', 8080, HTTP.toString('latin1'), undefined, undefined],
      [4, '172.16.0.1', '172.16.0.2', 8080, HTTP.toString('latin1'), undefined, undefined],
      [6, 'fd00:1::1', 'fd00:1::2', 8080, HTTP.toString('latin1'), undefined, undefined],
    ]);
    expect(tunnels(h, 'ipip')).toBe(4);
  });

  it('counts an inner header of the wrong version as bad and a cut one as truncated', () => {
    const h = harness();
    h.decoder.decode(packet(101, ipv4(v6(), { protocol: 4 })));
    const sixInFour = ipv4(v6(), { protocol: 41 });
    expect(decodeEveryCut(101, sixInFour, HTTP.length)).toEqual(new Array<string>(sixInFour.length - HTTP.length).fill('truncated'));
    expect(skipped(h, 'bad_header')).toBe(1);
  });
});

describe('nested GRE, ERSPAN and IP in IP', () => {
  const erspanFrame = () => ethernet(0x0800, ipv4(gre(0x88be, erspanII(42, innerFrame([{ tpid: 0x8100, vid: 44 }])), { seq: 9 }), { protocol: 47 }));

  it('ERSPAN carrying 802.1Q carrying IPv4, inside VXLAN, keeps the VXLAN VNI', () => {
    const h = harness();
    h.decoder.decode(packet(101, overUdp(vxlan(321, erspanFrame()), 4789)));
    expect(h.segments[0]).toMatchObject({ srcIp: '172.16.0.1', dstPort: 8080, vlan: [44], vni: 321, tunnel: 'vxlan', payload: HTTP.toString('latin1') });
    expect([tunnels(h, 'vxlan'), tunnels(h, 'erspan')]).toEqual([1, 1]);
  });

  it('GRE inside VXLAN inside GRE', () => {
    const h = harness();
    const inner = ethernet(0x0800, ipv4(gre(0x0800, ipv4(tcp(HTTP), { src: '1.1.1.1', dst: '2.2.2.2' })), { protocol: 47 }));
    h.decoder.decode(packet(101, ipv4(gre(0x0800, overUdp(vxlan(7, inner), 4789), { key: 3 }), { protocol: 47 })));
    expect(h.segments[0]).toMatchObject({ srcIp: '1.1.1.1', dstIp: '2.2.2.2', vni: 7, tunnel: 'vxlan' });
    expect([tunnels(h, 'gre'), tunnels(h, 'vxlan')]).toEqual([2, 1]);
  });

  it('counts GRE, ERSPAN and IP in IP toward maxTunnelDepth', () => {
    const h = harness({ maxTunnelDepth: 1 });
    h.decoder.decode(packet(101, overUdp(vxlan(321, erspanFrame()), 4789)));
    h.decoder.decode(packet(101, ipv4(ipv4(gre(0x0800, ipv4(tcp(HTTP))), { protocol: 47 }), { protocol: 4 })));
    h.decoder.decode(packet(101, ipv4(gre(0x0800, ipv4(ipv4(tcp(HTTP)), { protocol: 4 })), { protocol: 47 })));
    h.decoder.decode(packet(101, ipv4(gre(0x0800, ipv4(tcp(HTTP))), { protocol: 47 })));
    expect(skipped(h, 'tunnel_too_deep')).toBe(3);
    expect(h.segments).toHaveLength(1);
    const none = harness({ maxTunnelDepth: 0 });
    none.decoder.decode(packet(1, erspanFrame()));
    none.decoder.decode(packet(101, ipv4(ipv4(tcp(HTTP)), { protocol: 4 })));
    expect(skipped(none, 'tunnel_too_deep')).toBe(2);
  });

  it('reassembles an outer fragmented GRE datagram, then decapsulates it', () => {
    const h = harness();
    const datagram = gre(0x6558, innerFrame(), { key: 1 });
    const outer = (part: Buffer, fragOffset: number, more: boolean) => ipv4(part, { protocol: 47, id: 77, fragOffset, moreFragments: more, src: '10.1.1.1', dst: '10.1.1.2' });
    h.decoder.decode(packet(101, outer(datagram.subarray(0, 48), 0, true)));
    h.decoder.decode(packet(101, outer(datagram.subarray(48), 48, false)));
    expect(h.segments[0]).toMatchObject({ srcIp: '172.16.0.1', payload: HTTP.toString('latin1') });
  });

  it('keeps inner fragments of different tunnels apart', () => {
    const h = harness();
    const datagram = tcp(HTTP, { dstPort: 8080 });
    const frag = (fragOffset: number, more: boolean) =>
      ipv4(more ? datagram.subarray(0, 24) : datagram.subarray(24), { src: '172.16.0.1', dst: '172.16.0.2', id: 5, fragOffset, moreFragments: more });
    const viaGre = (key: number, src: string, inner: Buffer) => ipv4(gre(0x0800, inner, { key }), { protocol: 47, src });
    h.decoder.decode(packet(101, viaGre(1, '10.0.0.1', frag(0, true))));
    h.decoder.decode(packet(101, viaGre(2, '10.0.0.1', frag(24, false))));
    h.decoder.decode(packet(101, viaGre(1, '10.0.0.9', frag(24, false))));
    expect(h.segments).toHaveLength(0);
    h.decoder.decode(packet(101, viaGre(1, '10.0.0.1', frag(24, false))));
    expect(h.segments[0]).toMatchObject({ srcIp: '172.16.0.1', dstPort: 8080, payload: HTTP.toString('latin1') });
    expect(h.counters.get('capture_ip_fragment_overlaps_total')).toBe(0);
  });
});
