// Finds where a message head (start line, fields, blank line) ends in a stream that arrives in
// pieces. A head inside one piece is handed out in place; only a head spread over pieces is copied,
// into one carry buffer bounded by httpMaxHeaderBytes.
import { startLineKind } from './startLine';
import type { ExpectedStart } from './startLine';

export type HeadScanResult = 'need_more' | 'complete' | 'too_large' | 'bad_start';

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

export class HeadScanner {
  result: HeadScanResult = 'need_more';
  /** The head after 'complete', or its whole lines within the limit after 'too_large'; valid until the next feed. */
  headBuf: Buffer = EMPTY;
  headStart = 0;
  headEnd = 0;
  kind: 'request' | 'status' = 'request';
  /** After 'too_large': whether scanning stopped at the start of a line. */
  stoppedAtLineStart = false;

  private carry: Buffer | undefined = undefined;
  private carryLen = 0;
  /** Bytes of the carry that end in an LF; the rest is the start of an unfinished line. */
  private completeInCarry = 0;
  private startSeen = false;

  constructor(private readonly maxBytes: number) {}

  /** True when no part of a head is held. */
  get idle(): boolean {
    return this.carryLen === 0;
  }

  /**
   * Hands out the whole lines of an unfinished head when its start line is among them (a head cut
   * by lost bytes), and forgets the rest. False when there is nothing usable.
   */
  takePartial(): boolean {
    const usable = this.startSeen && this.completeInCarry > 0 && this.carry !== undefined;
    if (usable) {
      this.headBuf = this.carry as Buffer;
      this.headStart = 0;
      this.headEnd = this.completeInCarry;
    }
    this.reset();
    return usable;
  }

  reset(): void {
    this.carryLen = 0;
    this.completeInCarry = 0;
    this.startSeen = false;
  }

  /**
   * Scans buf from pos (to its end) and returns the offset after what belongs to this head.
   * `skipBlank` drops empty lines before a start line (RFC 9112 §2.2); `strict` narrows the start
   * lines accepted (see startLineKind).
   */
  feed(buf: Buffer, pos: number, expect: ExpectedStart, strict: boolean, skipBlank: boolean): number {
    const end = buf.length;
    let p = pos;
    if (this.carryLen === 0 && skipBlank) {
      while (p < end && (buf[p] === LF || buf[p] === CR)) p++;
    }
    let headStart = p;
    let lineStart = p;
    while (true) {
      const lf = p < end ? buf.indexOf(LF, p) : -1;
      const total = this.carryLen + (lf < 0 ? end : lf + 1) - headStart;
      if (total > this.maxBytes) return this.tooLarge(buf, headStart, lineStart, lf < 0 ? end : lf + 1, lf >= 0);
      if (lf < 0) {
        if (end > headStart) {
          const before = this.carryLen;
          this.append(buf, headStart, end);
          if (lineStart > headStart) this.completeInCarry = before + (lineStart - headStart);
        }
        this.result = 'need_more';
        return end;
      }
      const partial = lineStart === headStart ? this.carryLen - this.completeInCarry : 0;
      const first = partial > 0 ? (this.carry as Buffer)[this.completeInCarry] : buf[lineStart];
      const len = partial + (lf - lineStart);
      if (!this.startSeen) {
        let kind;
        if (partial === 0) {
          kind = startLineKind(buf, lineStart, lf, expect, strict);
        } else {
          this.append(buf, headStart, lf + 1);
          headStart = lf + 1;
          this.completeInCarry = this.carryLen;
          kind = startLineKind(this.carry as Buffer, 0, this.carryLen - 1, expect, strict);
        }
        if (kind === 'invalid') {
          this.reset();
          this.result = 'bad_start';
          return lf + 1;
        }
        this.kind = kind;
        this.startSeen = true;
      } else if (len === 0 || (len === 1 && first === CR)) {
        if (this.carryLen === 0) {
          this.headBuf = buf;
          this.headStart = headStart;
          this.headEnd = lf + 1;
        } else {
          this.append(buf, headStart, lf + 1);
          this.headBuf = this.carry as Buffer;
          this.headStart = 0;
          this.headEnd = this.carryLen;
        }
        this.reset();
        this.result = 'complete';
        return lf + 1;
      }
      lineStart = lf + 1;
      p = lf + 1;
    }
  }

  /** The head outgrew the limit: hand out its whole lines within the limit, if the start line is among them. */
  private tooLarge(buf: Buffer, headStart: number, lineStart: number, stop: number, atLineStart: boolean): number {
    this.result = 'too_large';
    this.stoppedAtLineStart = atLineStart;
    if (!this.startSeen) {
      this.headBuf = EMPTY;
      this.headStart = 0;
      this.headEnd = 0;
    } else if (this.carryLen === 0) {
      this.headBuf = buf;
      this.headStart = headStart;
      this.headEnd = lineStart;
    } else {
      if (lineStart > headStart) this.append(buf, headStart, lineStart);
      else this.carryLen = this.completeInCarry;
      this.headBuf = this.carry as Buffer;
      this.headStart = 0;
      this.headEnd = this.carryLen;
    }
    this.reset();
    return stop;
  }

  private append(buf: Buffer, start: number, end: number): void {
    const need = this.carryLen + (end - start);
    let carry = this.carry;
    if (carry === undefined || carry.length < need) {
      const grown = Buffer.allocUnsafe(Math.min(this.maxBytes, Math.max(need, 2 * (carry?.length ?? 0), 1024)));
      if (carry !== undefined) carry.copy(grown, 0, 0, this.carryLen);
      carry = grown;
      this.carry = carry;
    }
    buf.copy(carry, this.carryLen, start, end);
    this.carryLen = need;
  }
}
