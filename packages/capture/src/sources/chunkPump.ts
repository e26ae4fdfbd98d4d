// The reader's one working buffer: bytes arrive in chunks, every complete record is parsed at
// once, and the incomplete tail moves to the front for the next chunk. Memory stays at one chunk
// plus the largest record the parser accepts, whatever the file size.
import type { PacketHandler } from './packetView';
import { isPcapMagic, PcapFileParser } from './pcapFileParser';
import { PCAPNG_SHB_TYPE, PcapngParser } from './pcapngParser';
import type { ParseFault, RecordParser } from './recordParser';

const MAGIC_BYTES = 4;

export class ChunkPump {
  private buf: Buffer;
  /** Unparsed bytes are buf[head, tail); buf[0] is at stream offset `base`. */
  private head = 0;
  private tail = 0;
  private base = 0;
  /** Stream bytes received so far, including any a skip discarded. */
  streamEnd = 0;
  parser: RecordParser | null = null;
  fault: ParseFault | null = null;

  constructor(
    chunkBytes: number,
    private readonly onPacket: PacketHandler,
    private readonly maxPacketBytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  /** Stream offset of the next byte the pump wants (past any record the parser skips). */
  get wantedOffset(): number {
    return this.base + this.tail;
  }

  /** Free room at the end of the buffer, for reading straight into it. */
  get room(): { buf: Buffer; start: number; length: number } {
    return { buf: this.buf, start: this.tail, length: this.buf.length - this.tail };
  }

  /** Records that `bytes` were read into the room at stream offset `wantedOffset`. */
  commit(bytes: number): void {
    this.tail += bytes;
    this.streamEnd = this.base + this.tail;
  }

  /** Copies a chunk in (bytes a skip passes over are dropped), parsing whenever the buffer fills. */
  push(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length && this.fault === null) {
      const skipping = this.base + this.tail - this.streamEnd;
      if (skipping > 0) {
        const dropped = Math.min(skipping, chunk.length - off);
        off += dropped;
        this.streamEnd += dropped;
      } else if (this.tail === this.buf.length) {
        this.drain();
      } else {
        const copied = chunk.copy(this.buf, this.tail, off);
        off += copied;
        this.tail += copied;
        this.streamEnd += copied;
      }
    }
  }

  /** Parses every complete record buffered, then makes room for the next chunk. */
  drain(): void {
    // While a skip is still passing over bytes not yet received there is nothing to parse.
    if (this.fault !== null || this.base > this.streamEnd) return;
    const parser = this.parser ?? this.detect();
    if (parser === null) return;
    const next = parser.parse(this.buf, this.head, this.tail, this.base);
    this.fault = parser.fault;
    if (this.fault !== null) return;
    if (next >= this.tail) {
      this.base += next;
      this.head = this.tail = 0;
    } else {
      this.buf.copyWithin(0, next, this.tail);
      this.base += next;
      this.tail -= next;
      this.head = 0;
    }
    if (parser.bytesNeeded > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(parser.bytesNeeded, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.tail);
      this.buf = bigger;
    }
  }

  /** Call once the stream has ended: the fault that ends the read, if any. */
  finish(): ParseFault | null {
    this.drain();
    if (this.fault !== null) return this.fault;
    const parser = this.parser;
    if (parser === null) {
      const reason = this.streamEnd === 0 ? 'is empty' : `is not a pcap or pcapng file (only ${this.streamEnd} bytes)`;
      return { offset: 0, reason };
    }
    if (this.tail > this.head || this.base > this.streamEnd) {
      return { offset: parser.pendingOffset, reason: `is truncated inside ${parser.pendingWhat}` };
    }
    return null;
  }

  private detect(): RecordParser | null {
    if (this.tail - this.head < MAGIC_BYTES) return null;
    if (isPcapMagic(this.buf, this.head)) {
      this.parser = new PcapFileParser(this.onPacket, this.maxPacketBytes);
    } else if (this.buf.readUInt32LE(this.head) === PCAPNG_SHB_TYPE) {
      this.parser = new PcapngParser(this.onPacket, this.maxPacketBytes);
    } else {
      const magic = this.buf.toString('hex', this.head, this.head + MAGIC_BYTES);
      this.fault = { offset: 0, reason: `is not a pcap or pcapng file (magic 0x${magic})` };
    }
    return this.parser;
  }
}
