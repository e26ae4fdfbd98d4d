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
