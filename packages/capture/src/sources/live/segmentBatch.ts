// Decoded TCP segments packed into one ArrayBuffer, so a batch moves to a segment worker by
// transfer (no copy, no structured clone of objects). The decoder's segment lives only during its
// callback, so packing it is also the copy that lets it outlive the packet.
import { blankTcpSegment } from '../../decode/tcpSegment';
import type { TcpSegment } from '../../decode/tcpSegment';

// tsUs f64 | seq u32 | ack u32 | srcPort u16 | dstPort u16 | flags u8 | ipVersion u8 | tunnel u8 |
// vlans u8 | vni u32 | srcIp length u8 | dstIp length u8 | payload length u32 | snapped bytes u32,
// then the VLAN ids (u16 each), the two addresses (latin1 text) and the payload. A record whose
// ipVersion is 0 is a clock tick: only its tsUs means anything.
const FIXED_BYTES = 38;
const TICK = 0;
const TUNNEL_CODE = { none: 0, vxlan: 1, geneve: 2 } as const;
const INITIAL_BYTES = 64 * 1024;
/** The most a new batch starts with: room for what the last one held, so a steady stream of large batches does not grow each one from scratch. */
const MAX_START_BYTES = 16 * 1024 * 1024;

export class SegmentBatchWriter {
  private buf: Buffer = Buffer.from(new ArrayBuffer(INITIAL_BYTES));
  private used = 0;
  private count = 0;

  get bytes(): number {
    return this.used;
  }

  get segments(): number {
    return this.count;
  }

  add(s: TcpSegment): void {
    const vlans = s.vlan === undefined ? 0 : Math.min(s.vlan.length, 255);
    const need = FIXED_BYTES + vlans * 2 + s.srcIp.length + s.dstIp.length + s.payload.length;
    this.reserve(need);
    const b = this.buf;
    let o = this.used;
    b.writeDoubleLE(s.tsUs, o);
    b.writeUInt32LE(s.seq >>> 0, o + 8);
    b.writeUInt32LE(s.ack >>> 0, o + 12);
    b.writeUInt16LE(s.srcPort, o + 16);
    b.writeUInt16LE(s.dstPort, o + 18);
    b[o + 20] = s.flags;
    b[o + 21] = s.ipVersion;
    b[o + 22] = s.tunnel === undefined ? TUNNEL_CODE.none : TUNNEL_CODE[s.tunnel];
    b[o + 23] = vlans;
    b.writeUInt32LE(s.vni ?? 0, o + 24);
    b[o + 28] = s.srcIp.length;
    b[o + 29] = s.dstIp.length;
    b.writeUInt32LE(s.payload.length, o + 30);
    b.writeUInt32LE(s.snappedBytes >>> 0, o + 34);
    o += FIXED_BYTES;
    for (let i = 0; i < vlans; i++, o += 2) b.writeUInt16LE(s.vlan![i]!, o);
    o += b.write(s.srcIp, o, 'latin1');
    o += b.write(s.dstIp, o, 'latin1');
    o += s.payload.copy(b, o);
    this.used = o;
    this.count += 1;
  }

  /** A point where the reader's clock moves to `tsUs`, in order with the segments around it. */
  addTick(tsUs: number): void {
    this.reserve(FIXED_BYTES);
    const b = this.buf;
    const o = this.used;
    b.fill(0, o, o + FIXED_BYTES);
    b.writeDoubleLE(tsUs, o);
    b[o + 21] = TICK;
    this.used = o + FIXED_BYTES;
  }

  /** The packed batch, as its own ArrayBuffer ready to transfer; the writer starts a new one. */
  take(): { buffer: ArrayBuffer; bytes: number; segments: number } {
    const out = { buffer: this.buf.buffer as ArrayBuffer, bytes: this.used, segments: this.count };
    this.buf = Buffer.from(new ArrayBuffer(Math.max(INITIAL_BYTES, Math.min(this.used + (this.used >>> 3), MAX_START_BYTES))));
    this.used = 0;
    this.count = 0;
    return out;
  }

  /** Forgets the batch (it was dropped, counted by the caller). */
  clear(): void {
    this.used = 0;
    this.count = 0;
  }

  private reserve(need: number): void {
    if (this.used + need <= this.buf.length) return;
    const grown = Buffer.from(new ArrayBuffer(Math.max(this.buf.length * 2, this.used + need)));
    this.buf.copy(grown, 0, 0, this.used);
    this.buf = grown;
  }
}

/** Calls `onSegment` for every segment of a packed batch (reusing one segment object) and `onTick` for every tick, in order. */
export function readSegmentBatch(buffer: ArrayBuffer, bytes: number, onSegment: (segment: TcpSegment) => void, onTick?: (tsUs: number) => void): void {
  const b = Buffer.from(buffer, 0, bytes);
  const s = blankTcpSegment();
  let o = 0;
  while (o + FIXED_BYTES <= bytes) {
    if (b[o + 21] === TICK) {
      onTick?.(b.readDoubleLE(o));
      o += FIXED_BYTES;
      continue;
    }
    s.tsUs = b.readDoubleLE(o);
    s.seq = b.readUInt32LE(o + 8);
    s.ack = b.readUInt32LE(o + 12);
    s.srcPort = b.readUInt16LE(o + 16);
    s.dstPort = b.readUInt16LE(o + 18);
    s.flags = b[o + 20]!;
    s.ipVersion = b[o + 21] === 6 ? 6 : 4;
    const tunnel = b[o + 22];
    s.tunnel = tunnel === TUNNEL_CODE.vxlan ? 'vxlan' : tunnel === TUNNEL_CODE.geneve ? 'geneve' : undefined;
    const vlans = b[o + 23]!;
    s.vni = s.tunnel === undefined ? undefined : b.readUInt32LE(o + 24);
    const srcLen = b[o + 28]!;
    const dstLen = b[o + 29]!;
    const payloadLen = b.readUInt32LE(o + 30);
    s.snappedBytes = b.readUInt32LE(o + 34);
    o += FIXED_BYTES;
    if (vlans === 0) s.vlan = undefined;
    else {
      const list: number[] = [];
      for (let i = 0; i < vlans; i++, o += 2) list.push(b.readUInt16LE(o));
      s.vlan = list;
    }
    s.srcIp = b.toString('latin1', o, o + srcLen);
    o += srcLen;
    s.dstIp = b.toString('latin1', o, o + dstLen);
    o += dstLen;
    s.payload = b.subarray(o, o + payloadLen);
    o += payloadLen;
    onSegment(s);
  }
}
