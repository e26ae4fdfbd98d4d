import { ethernet, geneve, harness, ipv4, ipv6, packet, tcp, udp, vxlan } from './testPackets';

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
