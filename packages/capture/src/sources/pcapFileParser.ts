// Classic libpcap files (pcap-savefile(5)): a 24-byte file header, then records of a 16-byte
// header and the captured bytes. Also the microsecond "modified pcap" variant with 24-byte headers.
import { normalizeLinktype } from './linktypes';
import type { PacketHandler, PacketView } from './packetView';
import type { ParseFault, RecordParser } from './recordParser';

const MAGIC_MICROS = 0xa1b2c3d4;
const MAGIC_NANOS = 0xa1b23c4d;
/** Alexey Kuznetzov's patched libpcap: the record header adds ifindex, protocol and packet type. */
const MAGIC_MODIFIED = 0xa1b2cd34;
const FILE_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
const MODIFIED_RECORD_HEADER_BYTES = 24;
/** A record may exceed the header's snaplen a little (writers disagree on it), not by this much. */
const SNAPLEN_SLACK = 65_535;

/** The file starts with one of the classic pcap magics, in either byte order. */
export function isPcapMagic(buf: Buffer, offset: number): boolean {
  const le = buf.readUInt32LE(offset);
  const be = buf.readUInt32BE(offset);
  return isKnownMagic(le) || isKnownMagic(be);
}

function isKnownMagic(magic: number): boolean {
  return magic === MAGIC_MICROS || magic === MAGIC_NANOS || magic === MAGIC_MODIFIED;
}

export class PcapFileParser implements RecordParser {
  readonly format = 'pcap' as const;
  packets = 0;
  fault: ParseFault | null = null;
  bytesNeeded = FILE_HEADER_BYTES;
  pendingOffset = 0;
  pendingWhat = 'the pcap file header';

  private headerRead = false;
  private littleEndian = true;
  private nanos = false;
  private recordHeaderBytes = RECORD_HEADER_BYTES;
  private linktype = 0;
  private snaplen = 0;
  private readonly view: PacketView = {
    tsUs: 0, linktype: 0, buf: Buffer.alloc(0), offset: 0, caplen: 0, origLen: 0, iface: 0, fileOffset: 0,
  };

  constructor(
    private readonly onPacket: PacketHandler,
    private readonly maxPacketBytes: number,
  ) {}

  parse(buf: Buffer, start: number, end: number, base: number): number {
    if (this.fault !== null) return start;
    let pos = start;
    if (!this.headerRead) {
      if (end - pos < FILE_HEADER_BYTES) return pos;
      if (!this.readFileHeader(buf, pos, base)) return pos;
      pos += FILE_HEADER_BYTES;
    }
    const le = this.littleEndian;
    const headerBytes = this.recordHeaderBytes;
    const view = this.view;
    view.buf = buf;
    view.linktype = this.linktype;
    while (true) {
      if (end - pos < headerBytes) return this.waitFor(pos, base, headerBytes, 'a packet record header');
      const caplen = le ? buf.readUInt32LE(pos + 8) : buf.readUInt32BE(pos + 8);
      if (caplen > this.maxPacketBytes || (this.snaplen > 0 && caplen > this.snaplen + SNAPLEN_SLACK)) {
        const limit = caplen > this.maxPacketBytes ? `the limit of ${this.maxPacketBytes}` : `snaplen ${this.snaplen}`;
        this.fault = { offset: base + pos, reason: `has a corrupt packet record (captured length ${caplen} exceeds ${limit})` };
        return pos;
      }
      const recordBytes = headerBytes + caplen;
      if (end - pos < recordBytes) return this.waitFor(pos, base, recordBytes, 'a packet record');
      const seconds = le ? buf.readUInt32LE(pos) : buf.readUInt32BE(pos);
      const fraction = le ? buf.readUInt32LE(pos + 4) : buf.readUInt32BE(pos + 4);
      view.tsUs = seconds * 1e6 + (this.nanos ? fraction / 1000 : fraction);
      view.origLen = le ? buf.readUInt32LE(pos + 12) : buf.readUInt32BE(pos + 12);
      view.caplen = caplen;
      view.offset = pos + headerBytes;
      view.fileOffset = base + pos;
      this.packets++;
      this.onPacket(view);
      pos += recordBytes;
    }
  }

  private waitFor(pos: number, base: number, bytes: number, what: string): number {
    this.bytesNeeded = bytes;
    this.pendingOffset = base + pos;
    this.pendingWhat = what;
    return pos;
  }

  private readFileHeader(buf: Buffer, pos: number, base: number): boolean {
    const magicLe = buf.readUInt32LE(pos);
    this.littleEndian = isKnownMagic(magicLe);
    const magic = this.littleEndian ? magicLe : buf.readUInt32BE(pos);
    const u16 = (at: number): number => (this.littleEndian ? buf.readUInt16LE(at) : buf.readUInt16BE(at));
    const u32 = (at: number): number => (this.littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
    const major = u16(pos + 4);
    if (major !== 2) {
      this.fault = { offset: base + pos, reason: `has an unsupported pcap version ${major}.${u16(pos + 6)}` };
      return false;
    }
    this.nanos = magic === MAGIC_NANOS;
    this.recordHeaderBytes = magic === MAGIC_MODIFIED ? MODIFIED_RECORD_HEADER_BYTES : RECORD_HEADER_BYTES;
    this.snaplen = u32(pos + 16);
    this.linktype = normalizeLinktype(u32(pos + 20));
    this.headerRead = true;
    return true;
  }
}
