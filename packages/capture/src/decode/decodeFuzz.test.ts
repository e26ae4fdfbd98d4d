// Hostile input: random bytes, every truncation and random corruption of valid packets, under every
// link type. Nothing may throw, and every packet must land in exactly one outcome counter.
import { Counters } from '@sidetap/core';
import { defaultCaptureConfig } from '../captureConfig';
import { IpFragmentReassembler } from './ipFragmentReassembler';
import { erspanII, erspanIII, ethernet, geneve, gre, harness, ipv4, ipv6, ipv6Extension, ipv6Fragment, mpls, packet, pppoe, sll2, tcp, udp, vxlan } from './testPackets';

const LINKTYPES = [0, 1, 9, 12, 14, 51, 101, 108, 113, 228, 229, 276, 999];

/** Deterministic PRNG (mulberry32) so a failure replays. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function outcomes(snapshot: Record<string, number>): { finished: number; held: number } {
  let finished = 0;
  for (const [name, value] of Object.entries(snapshot)) {
    if (name === 'capture_packets_decoded_total' || name.startsWith('capture_packets_skipped_total')) finished += value;
  }
  return { finished, held: snapshot['capture_ip_fragments_received_total'] ?? 0 };
}

function seeds(): Array<[number, Buffer]> {
  const http = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  const frame = ethernet(0x0800, ipv4(tcp(http)));
  const sll = Buffer.alloc(16);
  sll.writeUInt16BE(0x86dd, 14);
  return [
    [1, frame],
    [1, ethernet(0x86dd, ipv6(ipv6Extension(60, 0, ipv6Fragment(6, 0, true, 3, tcp(http).subarray(0, 40))), { nextHeader: 0 }), [{ tpid: 0x88a8, vid: 5 }, { tpid: 0x8100, vid: 6 }])],
    [1, ethernet(0x0800, ipv4(tcp(http).subarray(40), { fragOffset: 40, id: 3 }))],
    [101, ipv4(udp(vxlan(9, frame), 4789), { protocol: 17 })],
    [101, ipv4(udp(geneve(9, 0x6558, frame, Buffer.alloc(8, 1)), 6081), { protocol: 17 })],
    [113, Buffer.concat([sll, ipv6(tcp(http))])],
    [0, Buffer.concat([Buffer.from([2, 0, 0, 0]), ipv4(tcp(http), { options: Buffer.alloc(8, 1) })])],
    [1, ethernet(0x0800, ipv4(gre(0x88be, erspanII(3, ethernet(0x0800, ipv4(tcp(http)), [{ tpid: 0x8100, vid: 8 }])), { seq: 1 }), { protocol: 47 }))],
    [101, ipv4(gre(0x22eb, erspanIII(3, frame, Buffer.alloc(8, 2)), { seq: 1 }), { protocol: 47 })],
    [1, ethernet(0x86dd, ipv6(gre(0x6558, frame, { checksum: true, key: 5, seq: 6 }), { nextHeader: 47 }))],
    [101, ipv4(gre(0x86dd, ipv6(tcp(http)), { key: 1 }), { protocol: 47 })],
    [1, ethernet(0x8847, mpls([16, 17], ipv6(tcp(http))))],
    [1, ethernet(0x8848, mpls([18], Buffer.concat([Buffer.alloc(4), frame])))],
    [276, sll2(0x8864, pppoe(0x0021, ipv4(tcp(http))))],
    [51, pppoe(0x0281, mpls([19], ipv4(ipv6(tcp(http)), { protocol: 41 })))],
    [9, Buffer.concat([Buffer.from([0xff, 0x03, 0x00, 0x21]), ipv4(ipv4(tcp(http)), { protocol: 4 })])],
  ];
}

describe('decoder fuzz', () => {
  it('starts from seeds that decode whole', () => {
    const h = harness();
    for (const [linktype, valid] of seeds()) h.decoder.decode(packet(linktype, valid));
    // The lone IPv4 tail fragment is held; every other seed reaches TCP.
    expect(h.counters.get('capture_packets_decoded_total')).toBe(seeds().length - 1);
    expect(h.counters.get('capture_ip_fragments_received_total')).toBe(1);
  });

  it('never throws and accounts for every packet', () => {
    const rand = prng(0x5eed);
    const h = harness({ ipFragmentMaxDatagrams: 16, maxTunnelDepth: 8 });
    let packets = 0;
    const check = (linktype: number, bytes: Buffer, ts: number) => {
      const before = outcomes(h.counters.snapshot());
      expect(() => h.decoder.decode(packet(linktype, bytes, ts))).not.toThrow();
      const after = outcomes(h.counters.snapshot());
      const finished = after.finished - before.finished;
      // A packet finishes once, or is held as a fragment (a completing fragment does both).
      expect(finished === 1 || (finished === 0 && after.held === before.held + 1)).toBe(true);
      packets++;
    };

    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.alloc(Math.floor(rand() * 160));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rand() * 256);
      check(LINKTYPES[i % LINKTYPES.length]!, bytes, i);
    }
    for (const [linktype, valid] of seeds()) {
      for (let cut = 0; cut <= valid.length; cut++) check(linktype, valid.subarray(0, cut), packets);
      for (let i = 0; i < 1500; i++) {
        const bytes = Buffer.from(valid);
        const flips = 1 + Math.floor(rand() * 4);
        for (let f = 0; f < flips; f++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
        check(linktype, bytes, packets);
        check(LINKTYPES[i % LINKTYPES.length]!, bytes, packets);
      }
    }
    expect(() => h.decoder.expire(1e15)).not.toThrow();
    expect(packets).toBeGreaterThan(20000);
    for (const s of h.segments) {
      expect(s.seq).toBeGreaterThanOrEqual(0);
      expect(s.seq).toBeLessThan(2 ** 32);
      expect(s.srcPort).toBeLessThan(65536);
    }
  });

  it('keeps hostile fragment streams within the configured bounds', () => {
    const rand = prng(0xf7a6);
    const counters = new Counters();
    const config = { ...defaultCaptureConfig(), ipFragmentMaxDatagrams: 8, ipFragmentMaxBytes: 4096 };
    const reassembler = new IpFragmentReassembler(config, counters);
    const src = Buffer.alloc(1600, 0x33);
    let completed = 0;
    for (let i = 0; i < 20000; i++) {
      const key = `k${Math.floor(rand() * 12)}`;
      const offset = Math.floor(rand() * 600) * 8;
      const len = Math.floor(rand() * 200) * 8 + (rand() < 0.2 ? Math.floor(rand() * 8) : 0);
      const more = rand() < 0.8;
      const data = reassembler.add(key, i * 1000, offset, more, 6, src, 0, len);
      if (data !== undefined) {
        completed++;
        expect(data.length).toBeLessThanOrEqual(4096);
      }
      expect(reassembler.size).toBeLessThanOrEqual(8);
    }
    expect(completed).toBeGreaterThan(0);
    expect(counters.get('capture_ip_fragments_dropped_total{reason="limit"}')).toBeGreaterThan(0);
    expect(counters.get('capture_ip_fragments_dropped_total{reason="too_large"}')).toBeGreaterThan(0);
  });

  it('survives a packet view whose caplen runs past its buffer', () => {
    const h = harness();
    const view = packet(1, ethernet(0x0800, ipv4(tcp(Buffer.from('x')))));
    view.caplen += 1000;
    expect(() => h.decoder.decode(view)).not.toThrow();
    expect(h.segments).toHaveLength(1);
  });
});
