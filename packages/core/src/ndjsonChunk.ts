// Builds one chunk of NDJSON as UTF-8 straight into a buffer of its own, so a writer hands on
// bytes ready to write (a worker transfers them, not copies) without joining strings or encoding twice.

const MIN_CHUNK_BYTES = 64 * 1024;

export class NdjsonChunk {
  private buf: Buffer;
  private used = 0;
  /** Records added since the last take(). */
  records = 0;

  /** Bytes added since the last take(). */
  get bytes(): number {
    return this.used;
  }

  constructor(private sizeHint = MIN_CHUNK_BYTES) {
    this.buf = Buffer.allocUnsafeSlow(sizeHint);
  }

  add(record: unknown): void {
    const line = JSON.stringify(record);
    // A UTF-16 code unit never takes more than 3 bytes of UTF-8.
    const worst = line.length * 3 + 1;
    if (this.buf.length - this.used < worst) this.grow(this.used + worst);
    this.used += this.buf.write(line, this.used);
    this.buf[this.used++] = 0x0a;
    this.records += 1;
  }

  /**
   * The lines added since the last call, as a view on a buffer nothing else uses (so its
   * ArrayBuffer can be transferred), or undefined when there were none.
   */
  take(): Uint8Array | undefined {
    if (this.records === 0) return undefined;
    const bytes = new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.used);
    // Next chunks are usually about the size of this one.
    this.sizeHint = Math.max(MIN_CHUNK_BYTES, Math.ceil(this.used * 1.25));
    this.buf = Buffer.allocUnsafeSlow(this.sizeHint);
    this.used = 0;
    this.records = 0;
    return bytes;
  }

  private grow(atLeast: number): void {
    const bigger = Buffer.allocUnsafeSlow(Math.max(atLeast, this.buf.length * 2));
    this.buf.copy(bigger, 0, 0, this.used);
    this.buf = bigger;
  }
}
