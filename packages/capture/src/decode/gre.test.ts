import { decodeEveryCut, erspanII, erspanIII, ethernet, gre, harness, ipv4, ipv6, packet, skipped, tcp, tunnels } from './testPackets';

const HTTP = Buffer.from('GET /mirrored HTTP/1.1\r\n\r\n');
const innerV4 = () => ipv4(tcp(HTTP, { srcPort: 51515, dstPort: 8443 }), { src: '192.168.7.1', dst: '192.168.7.2' });
const innerV6 = () => ipv6(tcp(HTTP, { srcPort: 51515, dstPort: 8443 }), { src: 'fd00::7', dst: 'fd00::8' });
const innerFrame = (vlans: Array<{ tpid: number; vid: number }> = []) => ethernet(0x0800, innerV4(), vlans);
/** Outer Ethernet (VLAN 10, the underlay's) + IPv4 protocol 47. */
const overGre = (greBytes: Buffer) => ethernet(0x0800, ipv4(greBytes, { protocol: 47, src: '10.9.9.1', dst: '10.9.9.2' }), [{ tpid: 0x8100, vid: 10 }]);
const INNER = { srcIp: '192.168.7.1', dstIp: '192.168.7.2', srcPort: 51515, dstPort: 8443, payload: HTTP.toString('latin1') };

describe('GRE', () => {
  it('decapsulates IPv4 and drops the underlay VLAN; vni and tunnel stay unset', () => {
    const h = harness();
    h.decoder.decode(packet(1, overGre(gre(0x0800, innerV4()))));
    expect(h.segments).toEqual([expect.objectContaining({ ...INNER, ipVersion: 4, vlan: undefined, vni: undefined, tunnel: undefined })]);
    expect(tunnels(h, 'gre')).toBe(1);
    expect(h.counters.get('capture_packets_decoded_total')).toBe(1);
  });

  it('decapsulates IPv6 over an IPv6 underlay', () => {
    const h = harness();
    h.decoder.decode(packet(1, ethernet(0x86dd, ipv6(gre(0x86dd, innerV6()), { nextHeader: 47 }))));
    expect(h.segments[0]).toMatchObject({ ipVersion: 6, srcIp: 'fd00::7', dstIp: 'fd00::8', dstPort: 8443, payload: HTTP.toString('latin1') });
  });

  it('skips the checksum, key and sequence words in every combination', () => {
    const h = harness();
    const combos = [{ checksum: true }, { key: 0xdeadbeef }, { seq: 7 }, { checksum: true, key: 1 }, { key: 2, seq: 3 }, { checksum: true, seq: 4 }, { checksum: true, key: 0xffffffff, seq: 0xffffffff }];
    for (const o of combos) h.decoder.decode(packet(1, overGre(gre(0x0800, innerV4(), o))));
    expect(h.segments).toHaveLength(combos.length);
    for (const s of h.segments) expect(s).toMatchObject(INNER);
  });

  it('decapsulates transparent Ethernet bridging and keeps the inner VLAN', () => {
    const h = harness();
    h.decoder.decode(packet(1, overGre(gre(0x6558, innerFrame([{ tpid: 0x8100, vid: 55 }]), { key: 9 }))));
    expect(h.segments[0]).toMatchObject({ ...INNER, vlan: [55] });
  });

  it('counts version 1 (PPTP) and routing-present headers as bad headers', () => {
    const h = harness();
    h.decoder.decode(packet(1, overGre(gre(0x880b, Buffer.alloc(20), { version: 1, key: 5 }))));
    h.decoder.decode(packet(1, overGre(gre(0x0800, innerV4(), { routing: true }))));
    expect(skipped(h, 'bad_header')).toBe(2);
    expect(tunnels(h, 'gre')).toBe(0);
  });

  it('counts a decoded GRE header whose protocol it does not follow as non_ip', () => {
    const h = harness();
    h.decoder.decode(packet(1, overGre(gre(0x883e, Buffer.alloc(24))))); // WCCP
    h.decoder.decode(packet(1, overGre(gre(0x0000, Buffer.alloc(0))))); // keepalive
    expect(skipped(h, 'non_ip')).toBe(2);
    expect(tunnels(h, 'gre')).toBe(2);
    expect(h.segments).toHaveLength(0);
  });

  it('ends the payload at the outer IP length, not at trailing bytes', () => {
    const h = harness();
    const frame = Buffer.concat([overGre(gre(0x6558, innerFrame())), Buffer.alloc(6, 0xaa)]);
    h.decoder.decode(packet(1, frame));
    expect(h.segments[0]?.payload).toBe(HTTP.toString('latin1'));
  });
});

describe('ERSPAN', () => {
  it('type II: skips the 8-byte header and keeps the mirrored 802.1Q tag', () => {
    const h = harness();
    h.decoder.decode(packet(1, overGre(gre(0x88be, erspanII(301, innerFrame([{ tpid: 0x8100, vid: 120 }])), { seq: 1 }))));
    expect(h.segments[0]).toMatchObject({ ...INNER, vlan: [120], vni: undefined, tunnel: undefined });
    expect(tunnels(h, 'erspan')).toBe(1);
    expect(tunnels(h, 'gre')).toBe(0);
  });

  it('type I: bare GRE without a sequence number in front of the frame', () => {
    const h = harness();
    h.decoder.decode(packet(1, overGre(gre(0x88be, innerFrame()))));
    expect(h.segments[0]).toMatchObject(INNER);
    expect(tunnels(h, 'erspan')).toBe(1);
  });

  it('type III: 12-byte header, plus the platform subheader when the O bit is set', () => {
    const h = harness();
    h.decoder.decode(packet(1, overGre(gre(0x22eb, erspanIII(5, innerFrame()), { seq: 1 }))));
    h.decoder.decode(packet(1, overGre(gre(0x22eb, erspanIII(6, innerFrame([{ tpid: 0x8100, vid: 7 }]), Buffer.from('PLATFORM')), { seq: 2 }))));
    expect(h.segments.map((s) => [s.payload, s.vlan])).toEqual([
      [HTTP.toString('latin1'), undefined],
      [HTTP.toString('latin1'), [7]],
    ]);
    expect(tunnels(h, 'erspan')).toBe(2);
  });

  it('reads the layout from the header version, and counts unknown versions as bad headers', () => {
    const h = harness();
    h.decoder.decode(packet(1, overGre(gre(0x88be, erspanIII(5, innerFrame(), Buffer.alloc(8)), { seq: 1 }))));
    h.decoder.decode(packet(1, overGre(gre(0x22eb, erspanII(5, innerFrame()), { seq: 1 }))));
    h.decoder.decode(packet(1, overGre(gre(0x88be, erspanII(5, innerFrame(), 3), { seq: 1 }))));
    expect(h.segments).toHaveLength(2);
    expect(skipped(h, 'bad_header')).toBe(1);
  });

  it('counts a type III subheader announced but not captured as truncated', () => {
    const h = harness();
    h.decoder.decode(packet(101, ipv4(gre(0x22eb, erspanIII(5, Buffer.alloc(0), Buffer.alloc(4)), { seq: 1 }), { protocol: 47 })));
    expect(skipped(h, 'truncated')).toBe(1);
  });
});

describe('GRE and ERSPAN cut at every byte', () => {
  const frames: Array<[string, Buffer]> = [
    ['GRE IPv4 with all words', overGre(gre(0x0800, innerV4(), { checksum: true, key: 1, seq: 2 }))],
    ['GRE Ethernet', overGre(gre(0x6558, innerFrame([{ tpid: 0x8100, vid: 3 }]), { key: 1 }))],
    ['ERSPAN II', overGre(gre(0x88be, erspanII(1, innerFrame([{ tpid: 0x8100, vid: 3 }])), { seq: 1 }))],
    ['ERSPAN III with subheader', overGre(gre(0x22eb, erspanIII(1, innerFrame(), Buffer.alloc(8)), { seq: 1 }))],
    ['ERSPAN III', overGre(gre(0x22eb, erspanIII(1, innerFrame()), { seq: 1 }))],
  ];
  it.each(frames)('%s: every cut short of the payload is counted as truncated', (_name, frame) => {
    const reasons = decodeEveryCut(1, frame, HTTP.length);
    expect(reasons).toEqual(new Array<string>(frame.length - HTTP.length).fill('truncated'));
  });
});
