// Test-only builders for frames and headers, byte by byte, plus a decoder that records segments.
import { Counters } from '@sidetap/core';
import { defaultCaptureConfig, type CaptureConfig } from '../captureConfig';
import type { PacketView } from '../sources/packetView';
import { PacketDecoder } from './packetDecoder';
import type { TcpSegment } from './tcpSegment';

export function ipv4Bytes(text: string): Buffer {
  return Buffer.from(text.split('.').map(Number));
}

/** Parses IPv6 text with at most one `::` (no dotted tail); enough for tests. */
export function ipv6Bytes(text: string): Buffer {
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

export interface VlanTag {
  tpid: number;
  vid: number;
}

export function ethernet(etherType: number, payload: Buffer, vlans: VlanTag[] = []): Buffer {
  const header = Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const tags = vlans.map((t) => Buffer.from([t.tpid >> 8, t.tpid & 0xff, (t.vid >> 8) & 0x0f, t.vid & 0xff]));
  // Each tag's TPID sits where the EtherType would be; the real EtherType follows the last tag.
  return Buffer.concat([header, ...tags, Buffer.from([etherType >> 8, etherType & 0xff]), payload]);
}

export interface Ipv4Options {
  src?: string;
  dst?: string;
  protocol?: number;
  id?: number;
  moreFragments?: boolean;
  fragOffset?: number;
  options?: Buffer;
  totalLength?: number;
}

export function ipv4(payload: Buffer, o: Ipv4Options = {}): Buffer {
  const options = o.options ?? Buffer.alloc(0);
  const header = Buffer.alloc(20 + options.length);
  header[0] = 0x40 | ((20 + options.length) >> 2);
  header.writeUInt16BE(o.totalLength ?? header.length + payload.length, 2);
  header.writeUInt16BE(o.id ?? 0x1234, 4);
  header.writeUInt16BE((o.moreFragments === true ? 0x2000 : 0) | ((o.fragOffset ?? 0) >> 3), 6);
  header[8] = 64;
  header[9] = o.protocol ?? 6;
  ipv4Bytes(o.src ?? '10.0.0.1').copy(header, 12);
  ipv4Bytes(o.dst ?? '10.0.0.2').copy(header, 16);
  options.copy(header, 20);
  return Buffer.concat([header, payload]);
}

export interface Ipv6Options {
  src?: string;
  dst?: string;
  nextHeader?: number;
  payloadLength?: number;
}

export function ipv6(payload: Buffer, o: Ipv6Options = {}): Buffer {
  const header = Buffer.alloc(40);
  header.writeUInt32BE(0x60000000, 0);
  header.writeUInt16BE(o.payloadLength ?? payload.length, 4);
  header[6] = o.nextHeader ?? 6;
  header[7] = 64;
  ipv6Bytes(o.src ?? '2001:db8::1').copy(header, 8);
  ipv6Bytes(o.dst ?? '2001:db8::2').copy(header, 24);
  return Buffer.concat([header, payload]);
}

/** Hop-by-hop, routing or destination options header: length in 8-byte units beyond the first. */
export function ipv6Extension(nextHeader: number, units: number, payload: Buffer): Buffer {
  const header = Buffer.alloc((units + 1) * 8);
  header[0] = nextHeader;
  header[1] = units;
  return Buffer.concat([header, payload]);
}

export function ipv6Fragment(nextHeader: number, offset: number, more: boolean, id: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = nextHeader;
  header.writeUInt16BE(offset | (more ? 1 : 0), 2);
  header.writeUInt32BE(id, 4);
  return Buffer.concat([header, payload]);
}

export interface TcpOptions {
  srcPort?: number;
  dstPort?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  options?: Buffer;
}

export function tcp(payload: Buffer, o: TcpOptions = {}): Buffer {
  const options = o.options ?? Buffer.alloc(0);
  const header = Buffer.alloc(20 + options.length);
  header.writeUInt16BE(o.srcPort ?? 40000, 0);
  header.writeUInt16BE(o.dstPort ?? 80, 2);
  header.writeUInt32BE(o.seq ?? 1000, 4);
  header.writeUInt32BE(o.ack ?? 0, 8);
  header[12] = ((20 + options.length) >> 2) << 4;
  header[13] = o.flags ?? 0x18;
  header.writeUInt16BE(65535, 14);
  options.copy(header, 20);
  return Buffer.concat([header, payload]);
}

export function udp(payload: Buffer, dstPort: number, srcPort = 50000): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(srcPort, 0);
  header.writeUInt16BE(dstPort, 2);
  header.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([header, payload]);
}

export function vxlan(vni: number, frame: Buffer, flags = 0x08): Buffer {
  const header = Buffer.from([flags, 0, 0, 0, (vni >> 16) & 0xff, (vni >> 8) & 0xff, vni & 0xff, 0]);
  return Buffer.concat([header, frame]);
}

export function geneve(vni: number, protocol: number, inner: Buffer, options: Buffer = Buffer.alloc(0), version = 0): Buffer {
  const header = Buffer.alloc(8);
  header[0] = (version << 6) | (options.length >> 2);
  header.writeUInt16BE(protocol, 2);
  header[4] = (vni >> 16) & 0xff;
  header[5] = (vni >> 8) & 0xff;
  header[6] = vni & 0xff;
  return Buffer.concat([header, options, inner]);
}

/** A packet view over `bytes`, placed at an offset inside a larger buffer as readers do. */
export function packet(linktype: number, bytes: Buffer, tsUs = 1_000_000, caplen = bytes.length): PacketView {
  const buf = Buffer.concat([Buffer.from([0xee, 0xee, 0xee]), bytes, Buffer.from([0xdd, 0xdd])]);
  return { tsUs, linktype, buf, offset: 3, caplen, origLen: bytes.length, iface: 0, fileOffset: 0 };
}

export type RecordedSegment = Omit<TcpSegment, 'payload'> & { payload: string };

export interface DecoderHarness {
  decoder: PacketDecoder;
  counters: Counters;
  /** Copies taken during each callback. */
  segments: RecordedSegment[];
  /** The objects handed to the callback, as they are now (to check reuse and aliasing). */
  handed: TcpSegment[];
  /** The vlan array of each callback, as handed. */
  vlanRefs: Array<number[] | undefined>;
}

export function harness(overrides: Partial<CaptureConfig> = {}): DecoderHarness {
  const counters = new Counters();
  const segments: RecordedSegment[] = [];
  const handed: TcpSegment[] = [];
  const vlanRefs: Array<number[] | undefined> = [];
  const config = { ...defaultCaptureConfig(), ...overrides };
  const decoder = new PacketDecoder(config, counters, (s) => {
    segments.push({ ...s, payload: s.payload.toString('latin1') });
    handed.push(s);
    vlanRefs.push(s.vlan);
  });
  return { decoder, counters, segments, handed, vlanRefs };
}

export interface GreOptions {
  checksum?: boolean;
  key?: number;
  seq?: number;
  version?: number;
  /** The RFC 1701 routing-present bit. */
  routing?: boolean;
}

/** A GRE header (RFC 2784/2890) with the optional words in their order: checksum, key, sequence. */
export function gre(protocol: number, payload: Buffer, o: GreOptions = {}): Buffer {
  const words: Buffer[] = [];
  let flags = 0;
  if (o.checksum === true) {
    flags |= 0x80;
    words.push(Buffer.from([0xbe, 0xef, 0, 0]));
  }
  if (o.routing === true) flags |= 0x40;
  if (o.key !== undefined) {
    flags |= 0x20;
    const w = Buffer.alloc(4);
    w.writeUInt32BE(o.key);
    words.push(w);
  }
  if (o.seq !== undefined) {
    flags |= 0x10;
    const w = Buffer.alloc(4);
    w.writeUInt32BE(o.seq);
    words.push(w);
  }
  const header = Buffer.from([flags, o.version ?? 0, protocol >> 8, protocol & 0xff]);
  return Buffer.concat([header, ...words, payload]);
}

/** ERSPAN type II header (version 1): VLAN, COS 0, En 3, session id, index. */
export function erspanII(sessionId: number, frame: Buffer, version = 1): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE((version << 12) | 0x123, 0);
  header.writeUInt16BE((3 << 11) | (sessionId & 0x3ff), 2);
  header.writeUInt32BE(0xabcde, 4);
  return Buffer.concat([header, frame]);
}

/** ERSPAN type III header (version 2), with the O bit and subheader when `platform` is given. */
export function erspanIII(sessionId: number, frame: Buffer, platform?: Buffer): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE((2 << 12) | 0x123, 0);
  header.writeUInt16BE(sessionId & 0x3ff, 2);
  header.writeUInt32BE(0x5eed1234, 4);
  header.writeUInt16BE(0x00ff, 8); // SGT
  header[10] = 0x80; // P set: a mirrored Ethernet frame
  header[11] = platform === undefined ? 0x0e : 0x0f; // direction, granularity, O
  return Buffer.concat([header, platform ?? Buffer.alloc(0), frame]);
}

/** An MPLS label stack (RFC 3032), outermost first, the last label marked bottom of stack. */
export function mpls(labels: number[], payload: Buffer): Buffer {
  const stack = Buffer.alloc(labels.length * 4);
  labels.forEach((label, i) => stack.writeUInt32BE(((label << 12) | (i === labels.length - 1 ? 0x100 : 0) | 64) >>> 0, i * 4));
  return Buffer.concat([stack, payload]);
}

/** A PPPoE session header (RFC 2516) and a two-byte PPP protocol. */
export function pppoe(pppProtocol: number, payload: Buffer, sessionId = 0x0042, length = payload.length + 2): Buffer {
  const header = Buffer.alloc(8);
  header[0] = 0x11;
  header.writeUInt16BE(sessionId, 2);
  header.writeUInt16BE(length, 4);
  header.writeUInt16BE(pppProtocol, 6);
  return Buffer.concat([header, payload]);
}

/** Linux cooked headers (SLL and SLL2) with the protocol field set. */
export function sll(protocol: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt16BE(protocol, 14);
  return Buffer.concat([header, payload]);
}

export function sll2(protocol: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(protocol, 0);
  return Buffer.concat([header, payload]);
}

export function skipped(h: DecoderHarness, reason: string): number {
  return h.counters.get(`capture_packets_skipped_total{reason="${reason}"}`);
}

/** capture_tunnel_packets_total for one kind. */
export function tunnels(h: DecoderHarness, kind: string): number {
  return h.counters.get(`capture_tunnel_packets_total{kind="${kind}"}`);
}

/**
 * Decodes every cut of `bytes` short of its TCP payload (where `payloadLen` bytes start) one at a
 * time; returns the skip reasons counted, one per cut. A cut must never throw or emit a segment.
 */
export function decodeEveryCut(linktype: number, bytes: Buffer, payloadLen: number): string[] {
  const h = harness();
  const reasons: string[] = [];
  for (let cut = 0; cut < bytes.length - payloadLen; cut++) {
    const before = h.counters.snapshot();
    h.decoder.decode(packet(linktype, bytes.subarray(0, cut)));
    const after = h.counters.snapshot();
    for (const [name, value] of Object.entries(after)) {
      const match = /^capture_packets_skipped_total\{reason="(\w+)"\}$/.exec(name);
      if (match !== null && value !== (before[name] ?? 0)) reasons.push(match[1]!);
    }
  }
  if (h.segments.length > 0) reasons.push('segment');
  return reasons;
}
