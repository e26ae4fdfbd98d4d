// Incremental chunked transfer decoding (RFC 9112 §7.1), as tolerant as browsers are: whitespace
// around the size, any hex case, a bare LF. Extensions are skipped; trailers are noted, not kept.
import type { HttpMessage } from './httpMessage';
import type { SampleLimits } from './sampleBudget';

type ChunkState = 'size' | 'data' | 'data_cr' | 'data_lf' | 'trailer' | 'done' | 'error';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HTAB = 0x09;
/** A size line longer than this (an endless extension) is treated as malformed. */
const MAX_SIZE_LINE = 4096;
/** 13 hex digits stay below 2^53, so sizes are exact numbers. */
const MAX_SIZE_DIGITS = 13;

const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[0x30 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[0x41 + c] = 10 + c;
  HEX[0x61 + c] = 10 + c;
}

export class ChunkedDecoder {
  state: ChunkState = 'size';
  private remaining = 0;
  private line: Buffer | undefined = undefined;
  private lineLen = 0;
  private trailerBytes = 0;
  private trailerLineLen = 0;
  private trailerLineFirst = 0;

  constructor(
    private readonly maxTrailerBytes: number,
    private readonly sampleLimits: SampleLimits,
  ) {}

  reset(): void {
    this.state = 'size';
    this.remaining = 0;
    this.lineLen = 0;
    this.trailerBytes = 0;
    this.trailerLineLen = 0;
  }

  /** Decodes buf from pos into msg's body; returns the offset after what it used. Stops at 'done' or 'error'. */
  feed(buf: Buffer, pos: number, msg: HttpMessage): number {
    const end = buf.length;
    let p = pos;
    while (p < end) {
      switch (this.state) {
        case 'size':
          p = this.sizeLine(buf, p, msg);
          break;
        case 'data': {
          const n = Math.min(this.remaining, end - p);
          msg.addBody(buf, p, p + n, this.sampleLimits);
          this.remaining -= n;
          p += n;
          if (this.remaining === 0) this.state = 'data_cr';
          break;
        }
        case 'data_cr': {
          const b = buf[p++];
          if (b === CR) this.state = 'data_lf';
          else if (b === LF) {
            msg.addFlag('http_bare_lf');
            this.state = 'size';
          } else this.fail(msg);
          break;
        }
        case 'data_lf':
          if (buf[p++] === LF) this.state = 'size';
          else this.fail(msg);
          break;
        case 'trailer':
          p = this.trailer(buf, p, msg);
          break;
        case 'done':
        case 'error':
          return p;
      }
    }
    return p;
  }

  private sizeLine(buf: Buffer, p: number, msg: HttpMessage): number {
    const lf = buf.indexOf(LF, p);
    const stop = lf < 0 ? buf.length : lf;
    if (this.lineLen + (stop - p) > MAX_SIZE_LINE) {
      this.fail(msg);
      return stop;
    }
    if (lf < 0 || this.lineLen > 0) {
      const line = (this.line ??= Buffer.allocUnsafe(MAX_SIZE_LINE));
      buf.copy(line, this.lineLen, p, stop);
      this.lineLen += stop - p;
      if (lf < 0) return stop;
      this.chunkSize(line, 0, this.lineLen, msg);
      this.lineLen = 0;
    } else {
      this.chunkSize(buf, p, lf, msg);
    }
    return lf + 1;
  }

  /** Parses the size line b[start, end) (end at the LF) and moves to the next state. */
  private chunkSize(b: Buffer, start: number, end: number, msg: HttpMessage): void {
    let e = end;
    if (e > start && b[e - 1] === CR) e--;
    else msg.addFlag('http_bare_lf');
    let i = start;
    while (i < e && (b[i] === SP || b[i] === HTAB)) i++;
    const digitsStart = i;
    // Leading zeros are allowed (1*HEXDIG) and do not count towards the size limit.
    while (i < e && b[i] === 0x30) i++;
    const significantStart = i;
    let size = 0;
    while (i < e) {
      const v = HEX[b[i] as number] as number;
      if (v < 0) break;
      size = size * 16 + v;
      i++;
    }
    const digits = i - digitsStart;
    const significant = i - significantStart;
    while (i < e && (b[i] === SP || b[i] === HTAB)) i++;
    if (digits === 0 || significant > MAX_SIZE_DIGITS || (i < e && b[i] !== 0x3b)) {
      this.fail(msg);
      return;
    }
    if (i < e) msg.addFlag('http_chunk_extension');
    if (size === 0) {
      this.state = 'trailer';
      this.trailerBytes = 0;
      this.trailerLineLen = 0;
    } else {
      this.state = 'data';
      this.remaining = size;
    }
  }

  /** Trailer section: field lines up to an empty line. Their content is not kept. */
  private trailer(buf: Buffer, p: number, msg: HttpMessage): number {
    const end = buf.length;
    while (p < end) {
      const lf = buf.indexOf(LF, p);
      const stop = lf < 0 ? end : lf;
      if (this.trailerLineLen === 0 && stop > p) this.trailerLineFirst = buf[p] as number;
      this.trailerLineLen += stop - p;
      this.trailerBytes += stop - p + 1;
      if (this.trailerBytes > this.maxTrailerBytes) {
        msg.addFlag('headers_too_large');
        this.state = 'error';
        return stop;
      }
      if (lf < 0) return end;
      const len = this.trailerLineLen;
      this.trailerLineLen = 0;
      if (len === 0 || (len === 1 && this.trailerLineFirst === CR)) {
        this.state = 'done';
        return lf + 1;
      }
      msg.addFlag('http_trailers');
      p = lf + 1;
    }
    return p;
  }

  private fail(msg: HttpMessage): void {
    msg.addFlag('http_bad_chunk_size');
    this.state = 'error';
  }
}
