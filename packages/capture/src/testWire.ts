// Test helper: TCP conversations written as Ethernet frames and fed through the whole capture
// stage (decoder, reassembly, HTTP), for the oddities of real captures that need every layer:
// snap lengths, offloads, SPAN copies, reordering, port reuse.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counters, createRedactor } from '@sidetap/core';
import type { HttpExchange } from '@sidetap/core';
import { captureConfigSchema } from './captureConfig';
import type { CaptureConfig } from './captureConfig';
import { captureFiles } from './capturePipeline';
import type { CaptureSummary } from './capturePipeline';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from './decode/tcpSegment';
import { ethernet, ipv4, tcp } from './decode/testPackets';
import type { VlanTag } from './decode/testPackets';
import { PacketCapture } from './packetCapture';
import { SegmentCapture } from './segmentCapture';
import type { PacketView } from './sources/packetView';

export { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN };

export const T0 = 1_700_000_000_000_000;

const REDACTOR = createRedactor({ key: Buffer.alloc(32, 7) });

export interface FrameOptions {
  /** Bytes of the frame kept by the capture (snap length); default all. */
  caplen?: number;
  /** Override the capture time of this frame. */
  tsUs?: number;
}

/** A capture being fed frame by frame; its clock moves 100 µs per frame unless told otherwise. */
export class WireBench {
  readonly exchanges: HttpExchange[] = [];
  readonly counters = new Counters();
  readonly config: CaptureConfig;
  private readonly packets: PacketCapture;
  private clockUs = T0;

  constructor(config: Partial<CaptureConfig> = {}) {
    this.config = captureConfigSchema.parse(config);
    const segments = new SegmentCapture({
      config: this.config,
      counters: this.counters,
      redactor: REDACTOR,
      source: 'pcap',
      onExchange: (exchange) => this.exchanges.push(exchange),
    });
    this.packets = new PacketCapture(this.config, this.counters, segments);
  }

  get nowUs(): number {
    return this.clockUs;
  }

  /** Feeds one Ethernet frame from a buffer the reader reuses (overwritten after the call). */
  feed(frame: Buffer, options: FrameOptions = {}): void {
    this.clockUs = options.tsUs ?? this.clockUs + 100;
    const caplen = Math.min(options.caplen ?? frame.length, frame.length);
    const buf = Buffer.from(frame.subarray(0, caplen));
    const view: PacketView = { tsUs: this.clockUs, linktype: 1, buf, offset: 0, caplen, origLen: frame.length, iface: 0, fileOffset: 0 };
    this.packets.feed(view);
    buf.fill(0x23);
  }

  /** Ends the capture: open connections are flushed; returns every exchange. */
  end(): HttpExchange[] {
    this.packets.stop('capture_ended');
    return this.exchanges;
  }
}

export interface Host {
  ip: string;
  port: number;
}

export interface ConversationOptions {
  client?: Host;
  server?: Host;
  clientIsn?: number;
  serverIsn?: number;
  vlans?: VlanTag[];
}

export interface SegmentSpec {
  payload?: string | Buffer;
  flags?: number;
  /** Sequence number; default the sender's next one. */
  seq?: number;
  /** Acknowledgement number; default the receiver's next sequence number. */
  ack?: number;
  /** IPv4 total length to write instead of the real one (0: segmentation offload). */
  totalLength?: number;
  vlans?: VlanTag[];
}

/** 0: client to server; 1: server to client. */
export type Side = 0 | 1;

/** One TCP connection's two senders, tracking their sequence numbers as frames are built. */
export class Conversation {
  readonly client: Host;
  readonly server: Host;
  /** Next sequence number of each side. */
  readonly next: [number, number];
  private readonly vlans: VlanTag[] | undefined;

  constructor(options: ConversationOptions = {}) {
    this.client = options.client ?? { ip: '10.1.0.1', port: 50_000 };
    this.server = options.server ?? { ip: '10.2.0.1', port: 80 };
    this.next = [(options.clientIsn ?? 1000) >>> 0, (options.serverIsn ?? 5000) >>> 0];
    this.vlans = options.vlans;
  }

  /** Builds the frame `side` sends and advances its sequence number past what it carries. */
  frame(side: Side, spec: SegmentSpec = {}): Buffer {
    const payload = typeof spec.payload === 'string' ? Buffer.from(spec.payload, 'latin1') : (spec.payload ?? Buffer.alloc(0));
    const flags = spec.flags ?? (payload.length > 0 ? TCP_ACK | TCP_PSH : TCP_ACK);
    const seq = spec.seq ?? this.next[side];
    const other: Side = side === 0 ? 1 : 0;
    const ack = (flags & TCP_ACK) === 0 ? 0 : (spec.ack ?? this.next[other]);
    const from = side === 0 ? this.client : this.server;
    const to = side === 0 ? this.server : this.client;
    const segment = tcp(payload, { srcPort: from.port, dstPort: to.port, seq: seq >>> 0, ack: ack >>> 0, flags });
    // Offloaded checksums: a capture on the sending host sees whatever the stack left there.
    segment.writeUInt16BE(0xbeef, 16);
    const packet = ipv4(segment, { src: from.ip, dst: to.ip, ...(spec.totalLength === undefined ? {} : { totalLength: spec.totalLength }) });
    packet.writeUInt16BE(0xdead, 10);
    const end = (seq + payload.length + ((flags & (TCP_SYN | TCP_FIN)) === 0 ? 0 : 1)) >>> 0;
    if (spec.seq === undefined || seqAfter(end, this.next[side])) this.next[side] = end;
    return ethernet(0x0800, packet, spec.vlans ?? this.vlans ?? []);
  }

  /** SYN, SYN/ACK and ACK frames. */
  handshake(): Buffer[] {
    return [this.frame(0, { flags: TCP_SYN }), this.frame(1, { flags: TCP_SYN | TCP_ACK }), this.frame(0)];
  }

  /** FIN from each side, the server last, and the final ACK. */
  close(): Buffer[] {
    return [this.frame(0, { flags: TCP_FIN | TCP_ACK }), this.frame(1, { flags: TCP_FIN | TCP_ACK }), this.frame(0)];
  }

  /** `text` cut into frames of at most `mss` payload bytes. */
  data(side: Side, text: string | Buffer, mss = 1460): Buffer[] {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
    const frames: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += mss) frames.push(this.frame(side, { payload: bytes.subarray(at, at + mss) }));
    return frames;
  }
}

function seqAfter(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/** `[method path, status, flags]` per exchange: what most checks compare. */
export function summary(exchanges: readonly HttpExchange[]): Array<[string, number | undefined, string[]]> {
  return exchanges.map((x) => [`${x.http.request.method} ${x.url.path}`.trim(), x.http.response?.status_code, x.sidetap.capture.flags]);
}

export interface FilePacket {
  frame: Buffer;
  tsUs: number;
  /** pcapng interface index. */
  iface?: number;
  /** Captured bytes written (default the whole frame). */
  caplen?: number;
}

/** A little-endian classic pcap file (µs, Ethernet) with the given snaplen in its header. */
export function pcapFile(packets: readonly FilePacket[], snaplen = 65_535): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(snaplen, 16);
  header.writeUInt32LE(1, 20);
  const parts: Buffer[] = [header];
  for (const p of packets) {
    const caplen = Math.min(p.caplen ?? p.frame.length, p.frame.length);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(Math.floor(p.tsUs / 1e6), 0);
    record.writeUInt32LE(p.tsUs % 1e6, 4);
    record.writeUInt32LE(caplen, 8);
    record.writeUInt32LE(p.frame.length, 12);
    parts.push(record, p.frame.subarray(0, caplen));
  }
  return Buffer.concat(parts);
}

/** A little-endian pcapng file of Ethernet interfaces, each with its if_tsresol exponent (6: µs, 9: ns). */
export function pcapngFile(tsresols: readonly number[], packets: readonly FilePacket[]): Buffer {
  const block = (type: number, body: Buffer): Buffer => {
    const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    const head = Buffer.alloc(8);
    head.writeUInt32LE(type, 0);
    head.writeUInt32LE(12 + padded.length, 4);
    const tail = Buffer.alloc(4);
    tail.writeUInt32LE(12 + padded.length, 0);
    return Buffer.concat([head, padded, tail]);
  };
  const shb = Buffer.alloc(16, 0xff);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeUInt16LE(0, 6);
  const parts: Buffer[] = [block(0x0a0d0d0a, shb)];
  for (const tsresol of tsresols) {
    const idb = Buffer.alloc(20);
    idb.writeUInt16LE(1, 0);
    idb.writeUInt32LE(0, 4);
    idb.writeUInt16LE(9, 8); // if_tsresol
    idb.writeUInt16LE(1, 10);
    idb[12] = tsresol;
    parts.push(block(1, idb));
  }
  for (const p of packets) {
    const units = BigInt(Math.round(p.tsUs)) * 10n ** BigInt(tsresols[p.iface ?? 0] ?? 6) / 1_000_000n;
    const caplen = Math.min(p.caplen ?? p.frame.length, p.frame.length);
    const head = Buffer.alloc(20);
    head.writeUInt32LE(p.iface ?? 0, 0);
    head.writeUInt32LE(Number(units >> 32n), 4);
    head.writeUInt32LE(Number(units & 0xffffffffn), 8);
    head.writeUInt32LE(caplen, 12);
    head.writeUInt32LE(p.frame.length, 16);
    parts.push(block(6, Buffer.concat([head, p.frame.subarray(0, caplen)])));
  }
  return Buffer.concat(parts);
}

/** Writes `bytes` to a temporary file and captures it with captureFiles, as `sidetap capture` does. */
export async function captureBytes(bytes: Buffer, config: Partial<CaptureConfig> = {}): Promise<{ exchanges: HttpExchange[]; summary: CaptureSummary }> {
  const dir = mkdtempSync(join(tmpdir(), 'sidetap-wire-'));
  try {
    const file = join(dir, 'capture');
    writeFileSync(file, bytes);
    const exchanges: HttpExchange[] = [];
    const summary = await captureFiles([file], { config: captureConfigSchema.parse(config), redactor: REDACTOR, onExchange: (x) => exchanges.push(x) });
    return { exchanges, summary };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
