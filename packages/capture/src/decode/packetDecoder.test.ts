import { TCP_ACK, TCP_PSH, TCP_SYN } from './tcpSegment';
import { ethernet, harness, ipv4, ipv6, ipv6Extension, ipv6Fragment, packet, tcp, udp } from './testPackets';

const HTTP = Buffer.from('GET / HTTP/1.1\r\n\r\n');
const v4tcp = (payload = HTTP) => ipv4(tcp(payload));
const v6tcp = (payload = HTTP) => ipv6(tcp(payload));

describe('PacketDecoder link types', () => {
  it('decodes Ethernet IPv4 TCP into one segment with every field', () => {
    const h = harness();
    const frame = ethernet(0x0800, ipv4(tcp(HTTP, { srcPort: 51000, dstPort: 8080, seq: 0xfffffff0, ack: 0x80000001, flags: TCP_SYN | TCP_ACK }), { src: '192.0.2.1', dst: '198.51.100.7' }));
    h.decoder.decode(packet(1, frame, 42.5));
    expect(h.segments).toEqual([
      {
        tsUs: 42.5,
        ipVersion: 4,
        srcIp: '192.0.2.1',
        dstIp: '198.51.100.7',
        srcPort: 51000,
        dstPort: 8080,
        seq: 0xfffffff0,
        ack: 0x80000001,
        flags: TCP_SYN | TCP_ACK,
        payload: HTTP.toString('latin1'),
        snappedBytes: 0,
        vlan: undefined,
        vni: undefined,
        tunnel: undefined,
      },
    ]);
    expect(h.counters.get('capture_packets_decoded_total')).toBe(1);
  });

  it('reuses one segment object across calls', () => {
    const h = harness();
    h.decoder.decode(packet(1, ethernet(0x0800, v4tcp())));
    h.decoder.decode(packet(1, ethernet(0x86dd, v6tcp())));
    expect(h.handed).toHaveLength(2);
    expect(h.handed[0]).toBe(h.handed[1]);
  });

  it('strips Ethernet padding: the IP total length ends the payload', () => {
    const h = harness();
    const frame = Buffer.concat([ethernet(0x0800, ipv4(tcp(Buffer.from('hi')))), Buffer.alloc(10, 0xaa)]);
    h.decoder.decode(packet(1, frame));
    expect(h.segments[0]?.payload).toBe('hi');
  });

  it('decodes Linux SLL and SLL2', () => {
    const h = harness();
    const sll = Buffer.alloc(16);
    sll.writeUInt16BE(0x0800, 14);
    h.decoder.decode(packet(113, Buffer.concat([sll, v4tcp()])));
    const sll2 = Buffer.alloc(20);
    sll2.writeUInt16BE(0x86dd, 0);
    h.decoder.decode(packet(276, Buffer.concat([sll2, v6tcp()])));
    expect(h.segments.map((s) => s.ipVersion)).toEqual([4, 6]);
    expect(h.segments[1]?.srcIp).toBe('2001:db8::1');
  });

  it('decodes raw IP by version nibble for 101, 12 and 14, and by linktype for 228/229', () => {
    const h = harness();
    for (const lt of [101, 12, 14]) {
      h.decoder.decode(packet(lt, v4tcp()));
      h.decoder.decode(packet(lt, v6tcp()));
    }
    h.decoder.decode(packet(228, v4tcp()));
    h.decoder.decode(packet(229, v6tcp()));
    expect(h.segments.map((s) => s.ipVersion)).toEqual([4, 6, 4, 6, 4, 6, 4, 6]);
    h.decoder.decode(packet(228, v6tcp()));
    expect(h.counters.get('capture_packets_skipped_total{reason="bad_header"}')).toBe(1);
  });

  it('decodes BSD NULL in either byte order with every AF_INET6 value, and LOOP in network order', () => {
    const h = harness();
    const family = (value: number, le: boolean) => {
      const b = Buffer.alloc(4);
      if (le) b.writeUInt32LE(value);
      else b.writeUInt32BE(value);
      return b;
    };
    for (const le of [true, false]) {
      h.decoder.decode(packet(0, Buffer.concat([family(2, le), v4tcp()])));
      for (const af of [24, 28, 30]) h.decoder.decode(packet(0, Buffer.concat([family(af, le), v6tcp()])));
    }
    h.decoder.decode(packet(108, Buffer.concat([family(2, false), v4tcp()])));
    h.decoder.decode(packet(108, Buffer.concat([family(30, false), v6tcp()])));
    expect(h.segments).toHaveLength(10);
    h.decoder.decode(packet(0, Buffer.concat([family(7, true), v4tcp()])));
    h.decoder.decode(packet(108, Buffer.concat([family(2, true), v4tcp()])));
    expect(h.counters.get('capture_packets_skipped_total{reason="non_ip"}')).toBe(2);
  });

  it('counts unknown link types and non-IP EtherTypes, 802.3 length frames included', () => {
    const h = harness();
    h.decoder.decode(packet(147, v4tcp()));
    h.decoder.decode(packet(1, ethernet(0x0806, Buffer.alloc(28))));
    h.decoder.decode(packet(1, ethernet(46, Buffer.alloc(46))));
    expect(h.counters.snapshot()).toEqual({
      'capture_packets_skipped_total{reason="unknown_linktype"}': 1,
      'capture_packets_skipped_total{reason="non_ip"}': 2,
    });
  });
});

describe('PacketDecoder VLAN tags', () => {
  it('records a single 802.1Q tag', () => {
    const h = harness();
    h.decoder.decode(packet(1, ethernet(0x0800, v4tcp(), [{ tpid: 0x8100, vid: 0xf64 }])));
    expect(h.segments[0]?.vlan).toEqual([0xf64]);
  });

  it('records stacked 802.1ad, 0x9100 and 802.1Q tags outermost first, ignoring PCP/DEI bits', () => {
    const h = harness();
    const tags = [
      { tpid: 0x88a8, vid: 100 },
      { tpid: 0x9100, vid: 200 },
      { tpid: 0x8100, vid: 300 },
    ];
    const frame = ethernet(0x86dd, v6tcp(), tags);
    frame[14] = (frame[14] ?? 0) | 0xe0;
    h.decoder.decode(packet(1, frame));
    h.decoder.decode(packet(1, frame));
    expect(h.segments.map((s) => s.vlan)).toEqual([
      [100, 200, 300],
      [100, 200, 300],
    ]);
  });

  it('never mutates a VLAN list it already handed out', () => {
    const h = harness();
    const tagged = (...vids: number[]) => ethernet(0x0800, v4tcp(), vids.map((vid) => ({ tpid: 0x8100, vid })));
    h.decoder.decode(packet(1, tagged(1, 2)));
    h.decoder.decode(packet(1, tagged(3, 4)));
    h.decoder.decode(packet(1, tagged(5)));
    h.decoder.decode(packet(1, tagged()));
    h.decoder.decode(packet(1, tagged(5)));
    expect(h.vlanRefs).toEqual([[1, 2], [3, 4], [5], undefined, [5]]);
    expect(h.vlanRefs[2]).toBe(h.vlanRefs[4]);
  });

  it('counts an 802.3 length field behind a VLAN tag as non-IP and a cut tag as truncated', () => {
    const h = harness();
    h.decoder.decode(packet(1, ethernet(100, Buffer.alloc(46), [{ tpid: 0x8100, vid: 7 }])));
    h.decoder.decode(packet(1, ethernet(0x8100, Buffer.from([0, 7]))));
    expect(h.counters.get('capture_packets_skipped_total{reason="non_ip"}')).toBe(1);
    expect(h.counters.get('capture_packets_skipped_total{reason="truncated"}')).toBe(1);
  });
});

describe('PacketDecoder IPv4 and TCP', () => {
  it('skips IPv4 options and TCP options to find the payload', () => {
    const h = harness();
    const ipOptions = Buffer.from([0x94, 0x04, 0, 0, 0x01, 0x01, 0x01, 0x00]);
    const tcpOptions = Buffer.from([2, 4, 5, 0xb4, 1, 1, 4, 2, 1, 3, 3, 7]);
    h.decoder.decode(packet(1, ethernet(0x0800, ipv4(tcp(HTTP, { options: tcpOptions, flags: TCP_PSH | TCP_ACK }), { options: ipOptions }))));
    expect(h.segments[0]?.payload).toBe(HTTP.toString('latin1'));
    expect(h.segments[0]?.flags).toBe(TCP_PSH | TCP_ACK);
  });

  it('gives a snapped packet the bytes it has and counts it', () => {
    const h = harness();
    const frame = ethernet(0x0800, v4tcp(Buffer.from('0123456789')));
    h.decoder.decode(packet(1, frame, 1, frame.length - 4));
    expect(h.segments[0]?.payload).toBe('012345');
    expect(h.segments[0]?.snappedBytes).toBe(4);
    expect(h.counters.get('capture_packets_snapped_total')).toBe(1);
  });

  it('trusts a length field promising more than it holds only when the capture really cut the frame', () => {
    const h = harness();
    const liar = ethernet(0x0800, ipv4(tcp(Buffer.from('0123456789')), { totalLength: 1500 }));
    h.decoder.decode(packet(1, liar));
    expect(h.segments[0]).toMatchObject({ payload: '0123456789', snappedBytes: 0 });
  });

  it('takes the captured bytes when total length is 0 (segmentation offload)', () => {
    const h = harness();
    h.decoder.decode(packet(1, ethernet(0x0800, ipv4(tcp(Buffer.from('big')), { totalLength: 0 }))));
    expect(h.segments[0]).toMatchObject({ payload: 'big', snappedBytes: 0 });
    // Cut by the snap length too: only the frame length tells how much is missing.
    const frame = ethernet(0x0800, ipv4(tcp(Buffer.alloc(9000, 0x41)), { totalLength: 0 }));
    h.decoder.decode(packet(1, frame, 1, 1514));
    expect(h.segments[1]?.payload).toHaveLength(1514 - 54);
    expect(h.segments[1]?.snappedBytes).toBe(9000 - (1514 - 54));
  });

  it('counts bad IPv4 and TCP headers, cut headers and non-TCP protocols', () => {
    const h = harness();
    const badIhl = ipv4(tcp(HTTP));
    badIhl[0] = 0x44;
    const badTotal = ipv4(tcp(HTTP), { totalLength: 12 });
    const badOffset = ipv4(tcp(HTTP));
    badOffset[32] = 0x40;
    h.decoder.decode(packet(101, badIhl));
    h.decoder.decode(packet(101, badTotal));
    h.decoder.decode(packet(101, badOffset));
    h.decoder.decode(packet(101, ipv4(tcp(HTTP)).subarray(0, 30)));
    h.decoder.decode(packet(101, ipv4(Buffer.alloc(8), { protocol: 1 })));
    h.decoder.decode(packet(101, ipv4(udp(HTTP, 53), { protocol: 17 })));
    expect(h.counters.snapshot()).toEqual({
      'capture_packets_skipped_total{reason="bad_header"}': 3,
      'capture_packets_skipped_total{reason="truncated"}': 1,
      'capture_packets_skipped_total{reason="non_tcp"}': 1,
      'capture_packets_skipped_total{reason="udp"}': 1,
      'capture_packets_snapped_total': 1,
    });
    expect(h.segments).toHaveLength(0);
  });
});

describe('PacketDecoder IPv6', () => {
  it('walks hop-by-hop, routing, destination options and AH headers to TCP', () => {
    const h = harness();
    const ah = Buffer.alloc(16);
    ah[0] = 6;
    ah[1] = 2; // AH length counts 4-byte words minus 2: (2 + 2) * 4 = 16 bytes
    const hopByHop = ipv6Extension(43, 0, Buffer.alloc(0));
    const routing = ipv6Extension(60, 0, Buffer.alloc(0));
    const destination = ipv6Extension(51, 1, Buffer.alloc(0));
    const datagram = ipv6(Buffer.concat([hopByHop, routing, destination, ah, tcp(HTTP)]), { nextHeader: 0, src: 'fe80::1', dst: '::ffff:c000:201' });
    h.decoder.decode(packet(101, datagram));
    expect(h.segments[0]).toMatchObject({ ipVersion: 6, srcIp: 'fe80::1', dstIp: '::ffff:192.0.2.1', payload: HTTP.toString('latin1') });
  });

  it('stops at ESP and no-next-header as non-TCP and treats an atomic fragment as whole', () => {
    const h = harness();
    h.decoder.decode(packet(101, ipv6(Buffer.alloc(16), { nextHeader: 50 })));
    h.decoder.decode(packet(101, ipv6(ipv6Extension(59, 0, Buffer.alloc(0)), { nextHeader: 60 })));
    h.decoder.decode(packet(101, ipv6(ipv6Fragment(6, 0, false, 9, tcp(HTTP)), { nextHeader: 44 })));
    expect(h.counters.get('capture_packets_skipped_total{reason="non_tcp"}')).toBe(2);
    expect(h.segments).toHaveLength(1);
    expect(h.counters.get('capture_ip_fragments_received_total')).toBe(0);
  });

  it('counts an extension header running past the payload as truncated', () => {
    const h = harness();
    h.decoder.decode(packet(101, ipv6(ipv6Extension(6, 0, Buffer.alloc(0)).subarray(0, 8), { nextHeader: 0, payloadLength: 8 }).subarray(0, 44)));
    const longExt = ipv6(Buffer.from([6, 200, 0, 0, 0, 0, 0, 0]), { nextHeader: 60 });
    h.decoder.decode(packet(101, longExt));
    expect(h.counters.get('capture_packets_skipped_total{reason="truncated"}')).toBe(2);
  });
});
