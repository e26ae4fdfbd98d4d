// pcapng (draft-ietf-opsawg-pcapng): sections of blocks, each section with its own byte order and
// interfaces. Packets come from Enhanced, Simple and obsolete Packet Blocks; every other block is
// skipped by its length without being read.
import type { PacketHandler, PacketView } from './packetView';
import { PcapngInterface } from './pcapngInterface';
import type { ParseFault, RecordParser } from './recordParser';

export const PCAPNG_SHB_TYPE = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;
const IDB_TYPE = 1;
const PB_TYPE = 2;
const SPB_TYPE = 3;
const EPB_TYPE = 6;
const MIN_BLOCK_BYTES = 12;
const MIN_SHB_BYTES = 28;
const MIN_IDB_BYTES = 20;
const MIN_SPB_BYTES = 16;
const MIN_EPB_BYTES = 32;
/** Block header fields before the packet bytes in an EPB or PB. */
const EPB_DATA_OFFSET = 28;
/** Options (comments, hashes) a packet or interface block may carry beyond its packet bytes. */
const MAX_OPTION_BYTES = 65_536;
/** Interfaces per section; real files have a handful, a hostile one could declare millions. */
const MAX_INTERFACES = 4096;
const SNAPLEN_SLACK = 65_535;

export class PcapngParser implements RecordParser {
  readonly format = 'pcapng' as const;
  packets = 0;
  fault: ParseFault | null = null;
  bytesNeeded = MIN_BLOCK_BYTES;
  pendingOffset = 0;
  pendingWhat = 'a block header';

  private littleEndian = true;
  private interfaces: PcapngInterface[] = [];
  private lastTsUs = 0;
  private readonly maxBlockBytes: number;
  private readonly view: PacketView = {
    tsUs: 0, linktype: 0, buf: Buffer.alloc(0), offset: 0, caplen: 0, origLen: 0, iface: 0, fileOffset: 0,
  };

  constructor(
    private readonly onPacket: PacketHandler,
    private readonly maxPacketBytes: number,
  ) {
    this.maxBlockBytes = maxPacketBytes + EPB_DATA_OFFSET + MAX_OPTION_BYTES;
  }

  parse(buf: Buffer, start: number, end: number, base: number): number {
    if (this.fault !== null) return start;
    this.view.buf = buf;
    let pos = start;
    while (true) {
      if (end - pos < MIN_BLOCK_BYTES) return this.waitFor(pos, base, MIN_BLOCK_BYTES, 'a block header');
      // The SHB type reads the same in both byte orders; its byte-order magic decides the rest.
      const type = this.u32(buf, pos);
      if (type === PCAPNG_SHB_TYPE) {
        const magic = buf.readUInt32LE(pos + 8);
        if (magic !== BYTE_ORDER_MAGIC && magic !== BYTE_ORDER_MAGIC_SWAPPED) {
          return this.corrupt(pos, base, `has a section header with a bad byte-order magic 0x${magic.toString(16)}`);
        }
        this.littleEndian = magic === BYTE_ORDER_MAGIC;
      }
      const length = this.u32(buf, pos + 4);
      if (length < MIN_BLOCK_BYTES || length % 4 !== 0) {
        return this.corrupt(pos, base, `has a corrupt block (length ${length} is ${length < MIN_BLOCK_BYTES ? 'under 12' : 'not a multiple of 4'})`);
      }
      const readBody = type === EPB_TYPE || type === SPB_TYPE || type === PB_TYPE || type === IDB_TYPE || type === PCAPNG_SHB_TYPE;
      if (!readBody) {
        // Skipped blocks are never buffered whole, so a huge one costs nothing; its trailer is
        // checked when it happens to be in the buffer.
        if (end - pos >= length && this.u32(buf, pos + length - 4) !== length) return this.badTrailer(buf, pos, base, length);
        if (end - pos < length) this.waitFor(pos, base, 0, 'a block');
        pos += length;
        if (pos > end) return pos;
        continue;
      }
      if (length > this.maxBlockBytes) {
        return this.corrupt(pos, base, `has a corrupt block (length ${length} exceeds the limit of ${this.maxBlockBytes})`);
      }
      if (end - pos < length) return this.waitFor(pos, base, length, 'a block');
      if (this.u32(buf, pos + length - 4) !== length) return this.badTrailer(buf, pos, base, length);
      const ok =
        type === EPB_TYPE ? this.packetBlock(buf, pos, base, length, false)
        : type === SPB_TYPE ? this.simplePacketBlock(buf, pos, base, length)
        : type === PB_TYPE ? this.packetBlock(buf, pos, base, length, true)
        : type === IDB_TYPE ? this.interfaceBlock(buf, pos, base, length)
        : this.sectionHeader(buf, pos, base, length);
      if (!ok) return pos;
      pos += length;
    }
  }

  private sectionHeader(buf: Buffer, pos: number, base: number, length: number): boolean {
    if (length < MIN_SHB_BYTES) return this.fail(pos, base, `has a corrupt section header (length ${length})`);
    const major = this.u16(buf, pos + 12);
    if (major !== 1) return this.fail(pos, base, `has an unsupported pcapng version ${major}.${this.u16(buf, pos + 14)}`);
    this.interfaces = [];
    return true;
  }

  private interfaceBlock(buf: Buffer, pos: number, base: number, length: number): boolean {
    if (length < MIN_IDB_BYTES) return this.fail(pos, base, `has a corrupt interface block (length ${length})`);
    if (this.interfaces.length >= MAX_INTERFACES) {
      return this.fail(pos, base, `declares more than ${MAX_INTERFACES} interfaces in one section`);
    }
    this.interfaces.push(PcapngInterface.fromBlock(buf, pos, pos + length - 4, this.littleEndian));
    return true;
  }

  /** Enhanced Packet Block, or with `obsolete` the Packet Block (16-bit interface id, drop count). */
  private packetBlock(buf: Buffer, pos: number, base: number, length: number, obsolete: boolean): boolean {
    if (length < MIN_EPB_BYTES) return this.fail(pos, base, `has a corrupt packet block (length ${length})`);
    const ifaceId = obsolete ? this.u16(buf, pos + 8) : this.u32(buf, pos + 8);
    const iface = this.interfaces[ifaceId];
    if (iface === undefined) return this.fail(pos, base, `has a packet for undeclared interface ${ifaceId}`);
    const caplen = this.u32(buf, pos + 20);
    if (EPB_DATA_OFFSET + caplen + 4 > length) {
      return this.fail(pos, base, `has a corrupt packet block (captured length ${caplen} overruns block length ${length})`);
    }
    if (!this.caplenAllowed(caplen, iface, pos, base)) return false;
    const view = this.view;
    view.tsUs = this.lastTsUs = iface.toUs(this.u32(buf, pos + 12), this.u32(buf, pos + 16));
    view.linktype = iface.linktype;
    view.offset = pos + EPB_DATA_OFFSET;
    view.caplen = caplen;
    view.origLen = this.u32(buf, pos + 24);
    view.iface = ifaceId;
    view.fileOffset = base + pos;
    this.packets++;
    this.onPacket(view);
    return true;
  }

  /** Simple Packet Block: interface 0, no timestamp, caplen implied by block length and snaplen. */
  private simplePacketBlock(buf: Buffer, pos: number, base: number, length: number): boolean {
    if (length < MIN_SPB_BYTES) return this.fail(pos, base, `has a corrupt simple packet block (length ${length})`);
    const iface = this.interfaces[0];
    if (iface === undefined) return this.fail(pos, base, 'has a simple packet block before any interface');
    const origLen = this.u32(buf, pos + 8);
    let caplen = Math.min(origLen, length - MIN_SPB_BYTES);
    if (iface.snaplen > 0 && caplen > iface.snaplen) caplen = iface.snaplen;
    if (!this.caplenAllowed(caplen, iface, pos, base)) return false;
    const view = this.view;
    view.tsUs = this.lastTsUs;
    view.linktype = iface.linktype;
    view.offset = pos + 12;
    view.caplen = caplen;
    view.origLen = origLen;
    view.iface = 0;
    view.fileOffset = base + pos;
    this.packets++;
    this.onPacket(view);
    return true;
  }

  private caplenAllowed(caplen: number, iface: PcapngInterface, pos: number, base: number): boolean {
    if (caplen > this.maxPacketBytes) {
      return this.fail(pos, base, `has a corrupt packet block (captured length ${caplen} exceeds the limit of ${this.maxPacketBytes})`);
    }
    if (iface.snaplen > 0 && caplen > iface.snaplen + SNAPLEN_SLACK) {
      return this.fail(pos, base, `has a corrupt packet block (captured length ${caplen} exceeds snaplen ${iface.snaplen})`);
    }
    return true;
  }

  private badTrailer(buf: Buffer, pos: number, base: number, length: number): number {
    const trailer = this.u32(buf, pos + length - 4);
    return this.corrupt(pos, base, `has a corrupt block (trailing length ${trailer} differs from leading length ${length})`);
  }

  private waitFor(pos: number, base: number, bytes: number, what: string): number {
    this.bytesNeeded = bytes;
    this.pendingOffset = base + pos;
    this.pendingWhat = what;
    return pos;
  }

  private corrupt(pos: number, base: number, reason: string): number {
    this.fail(pos, base, reason);
    return pos;
  }

  private fail(pos: number, base: number, reason: string): false {
    this.fault = { offset: base + pos, reason };
    return false;
  }

  private u32(buf: Buffer, at: number): number {
    return this.littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  }

  private u16(buf: Buffer, at: number): number {
    return this.littleEndian ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
  }
}
