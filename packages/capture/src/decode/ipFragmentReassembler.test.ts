import { ethernet, harness, ipv4, ipv6, ipv6Extension, ipv6Fragment, packet, tcp, udp, vxlan } from './testPackets';

const BODY = Buffer.from('POST /upload HTTP/1.1\r\nContent-Length: 40\r\n\r\n0123456789abcdefghijklmnopqrstuvwxyzABCD');
const SEGMENT = tcp(BODY); // 20 + 85 bytes: three fragments of 40, 40 and 25 bytes

/** IPv4 fragments of `datagram` cut at the given byte offsets (multiples of 8). */
function v4Fragments(datagram: Buffer, cuts: number[], o: { id?: number; protocol?: number } = {}): Buffer[] {
  const edges = [0, ...cuts, datagram.length];
  return edges.slice(0, -1).map((start, i) =>
    ipv4(datagram.subarray(start, edges[i + 1]), { id: o.id ?? 7, protocol: o.protocol ?? 6, fragOffset: start, moreFragments: i < edges.length - 2 }),
  );
}

const DROPPED = 'capture_ip_fragments_dropped_total';
const decoded = (h: ReturnType<typeof harness>) => h.segments.map((s) => s.payload);

describe('IPv4 fragment reassembly', () => {
  it('reassembles fragments in order', () => {
    const h = harness();
    for (const f of v4Fragments(SEGMENT, [40, 80])) h.decoder.decode(packet(101, f));
    expect(decoded(h)).toEqual([BODY.toString('latin1')]);
    expect(h.counters.snapshot()).toEqual({
      'capture_ip_fragments_received_total': 3,
      'capture_ip_datagrams_reassembled_total': 1,
      'capture_packets_decoded_total': 1,
    });
  });

  it('reassembles fragments out of order, with the last one first', () => {
    const h = harness();
    const [a, b, c] = v4Fragments(SEGMENT, [40, 80]);
    for (const f of [c!, a!, b!]) h.decoder.decode(packet(1, ethernet(0x0800, f)));
    expect(decoded(h)).toEqual([BODY.toString('latin1')]);
    expect(h.segments[0]?.srcIp).toBe('10.0.0.1');
  });

  it('keeps the first copy of overlapping bytes and counts a conflict only when they differ', () => {
    const h = harness();
    const [a, b, c] = v4Fragments(SEGMENT, [40, 80]);
    const sameOverlap = ipv4(SEGMENT.subarray(32, 56), { id: 7, fragOffset: 32, moreFragments: true });
    const forged = Buffer.from(SEGMENT.subarray(40, 80));
    forged.fill(0x58, 10, 20);
    const differentOverlap = ipv4(forged, { id: 7, fragOffset: 40, moreFragments: true });
    for (const f of [a!, sameOverlap, b!, differentOverlap, c!]) h.decoder.decode(packet(101, f));
    expect(decoded(h)).toEqual([BODY.toString('latin1')]);
    expect(h.counters.get('capture_ip_fragment_overlaps_total')).toBe(1);
  });

  it('keeps the first word on where the datagram ends', () => {
    const h = harness();
    const [a, b, c] = v4Fragments(SEGMENT, [40, 80]);
    const shorterEnd = ipv4(SEGMENT.subarray(80, 96), { id: 7, fragOffset: 80 });
    for (const f of [c!, shorterEnd, a!, b!]) h.decoder.decode(packet(101, f));
    expect(decoded(h)).toEqual([BODY.toString('latin1')]);
    expect(h.counters.get('capture_ip_fragment_overlaps_total')).toBe(1);
  });

  it('drops incomplete datagrams after the timeout, by expire() and lazily', () => {
    const h = harness({ ipFragmentTimeoutSec: 30 });
    const [a, b, c] = v4Fragments(SEGMENT, [40, 80]);
    h.decoder.decode(packet(101, a!, 0));
    h.decoder.decode(packet(101, b!, 1e6));
    h.decoder.expire(29e6);
    expect(h.counters.get(`${DROPPED}{reason="timeout"}`)).toBe(0);
    h.decoder.expire(30e6);
    expect(h.counters.get(`${DROPPED}{reason="timeout"}`)).toBe(2);
    h.decoder.decode(packet(101, c!, 31e6));
    expect(h.segments).toHaveLength(0);

    const lazy = harness({ ipFragmentTimeoutSec: 30 });
    lazy.decoder.decode(packet(101, a!, 0));
    lazy.decoder.decode(packet(101, v4Fragments(SEGMENT, [40, 80], { id: 8 })[0]!, 31e6));
    expect(lazy.counters.get(`${DROPPED}{reason="timeout"}`)).toBe(1);
  });

  it('drops the oldest datagram beyond ipFragmentMaxDatagrams', () => {
    const h = harness({ ipFragmentMaxDatagrams: 2 });
    const sets = [1, 2, 3].map((id) => v4Fragments(SEGMENT, [40, 80], { id }));
    for (const set of sets) h.decoder.decode(packet(101, set[0]!));
    expect(h.counters.get(`${DROPPED}{reason="limit"}`)).toBe(1);
    for (const set of sets.slice(1)) for (const f of set.slice(1)) h.decoder.decode(packet(101, f));
    expect(h.segments).toHaveLength(2);
    expect(h.counters.get(`${DROPPED}{reason="limit"}`)).toBe(1);
  });

  it('drops a datagram larger than ipFragmentMaxBytes, its later fragments included', () => {
    const h = harness({ ipFragmentMaxBytes: 64 });
    const [a, b, c] = v4Fragments(SEGMENT, [40, 80]);
    for (const f of [a!, b!, c!]) h.decoder.decode(packet(101, f));
    expect(h.counters.get(`${DROPPED}{reason="too_large"}`)).toBe(3);
    expect(h.segments).toHaveLength(0);
    h.decoder.expire(1e12);
    expect(h.counters.get(`${DROPPED}{reason="timeout"}`)).toBe(0);
  });

  it('drops a non-final fragment whose length is not a multiple of 8', () => {
    const h = harness();
    h.decoder.decode(packet(101, ipv4(SEGMENT.subarray(0, 30), { moreFragments: true })));
    expect(h.counters.get(`${DROPPED}{reason="malformed"}`)).toBe(1);
  });

  it('skips a fragment cut by the snap length as truncated', () => {
    const h = harness();
    const first = v4Fragments(SEGMENT, [40, 80])[0]!;
    h.decoder.decode(packet(101, first, 0, first.length - 8));
    expect(h.counters.get('capture_packets_skipped_total{reason="truncated"}')).toBe(1);
    expect(h.counters.get('capture_ip_fragments_received_total')).toBe(0);
  });

  it('keeps datagrams with equal addresses and id apart per VLAN and per id', () => {
    const h = harness();
    const tagged = (f: Buffer, vid: number) => packet(1, ethernet(0x0800, f, [{ tpid: 0x8100, vid }]));
    const [a, b, c] = v4Fragments(SEGMENT, [40, 80]);
    const other = v4Fragments(tcp(Buffer.alloc(85, 0x41)), [40, 80]);
    h.decoder.decode(tagged(a!, 1));
    h.decoder.decode(tagged(other[0]!, 2));
    h.decoder.decode(tagged(b!, 1));
    h.decoder.decode(tagged(other[1]!, 2));
    h.decoder.decode(tagged(c!, 1));
    h.decoder.decode(tagged(other[2]!, 2));
    expect(h.segments.map((s) => [s.vlan, s.payload.slice(0, 4)])).toEqual([
      [[1], 'POST'],
      [[2], 'AAAA'],
    ]);
    expect(h.counters.get('capture_ip_fragment_overlaps_total')).toBe(0);
  });

  it('decapsulates a tunnel whose outer UDP datagram was fragmented', () => {
    const h = harness();
    const inner = ethernet(0x0800, ipv4(tcp(BODY), { src: '192.168.9.9' }));
    const datagram = udp(vxlan(31, inner), 4789);
    for (const f of v4Fragments(datagram, [64]).reverse()) h.decoder.decode(packet(101, ipv4(f.subarray(20), readHeader(f))));
    expect(h.segments[0]).toMatchObject({ vni: 31, srcIp: '192.168.9.9', payload: BODY.toString('latin1') });
  });
});

/** The fragment fields of an IPv4 fragment built by v4Fragments, with protocol UDP. */
function readHeader(f: Buffer) {
  const field = f.readUInt16BE(6);
  return { id: f.readUInt16BE(4), protocol: 17, fragOffset: (field & 0x1fff) << 3, moreFragments: (field & 0x2000) !== 0 };
}

describe('IPv6 fragment reassembly', () => {
  // Fragmentable part: a destination options header, then TCP.
  const fragmentable = ipv6Extension(6, 0, SEGMENT);
  const v6Fragments = (id: number) =>
    [0, 48].map((start, i, starts) => {
      const end = starts[i + 1] ?? fragmentable.length;
      return ipv6(ipv6Fragment(60, start, end < fragmentable.length, id, fragmentable.subarray(start, end)), { nextHeader: 44 });
    });

  it('reassembles out of order and walks the extension headers inside', () => {
    const h = harness();
    const [a, b] = v6Fragments(0x01020304);
    h.decoder.decode(packet(101, b!));
    h.decoder.decode(packet(101, a!));
    expect(h.segments[0]).toMatchObject({ ipVersion: 6, srcIp: '2001:db8::1', payload: BODY.toString('latin1') });
    expect(h.counters.get('capture_ip_datagrams_reassembled_total')).toBe(1);
  });

  it('keys on the 32-bit identification', () => {
    const h = harness();
    const [a] = v6Fragments(0x00010000);
    const [, b] = v6Fragments(0x00020000);
    h.decoder.decode(packet(101, a!));
    h.decoder.decode(packet(101, b!));
    expect(h.segments).toHaveLength(0);
    expect(h.counters.get('capture_ip_datagrams_reassembled_total')).toBe(0);
  });

  it('rejects a fragment header inside a reassembled datagram', () => {
    const h = harness();
    const inner = ipv6Fragment(6, 8, false, 1, SEGMENT);
    const first = ipv6(ipv6Fragment(44, 0, true, 5, inner.subarray(0, 16)), { nextHeader: 44 });
    const last = ipv6(ipv6Fragment(44, 16, false, 5, inner.subarray(16)), { nextHeader: 44 });
    h.decoder.decode(packet(101, first));
    h.decoder.decode(packet(101, last));
    expect(h.counters.get('capture_packets_skipped_total{reason="bad_header"}')).toBe(1);
  });
});
