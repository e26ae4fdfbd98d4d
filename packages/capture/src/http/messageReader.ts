// One direction of an HTTP/1.x connection: finds message heads, frames and counts bodies, and
// after anything unparseable or lost (a gap) hunts for the next start line. The connection
// (MessageOwner) decides framing that depends on the other direction and pairs the messages.
import type { CaptureFlag, Counters } from '@sidetap/core';
import type { CaptureConfig } from '../captureConfig';
import type { Direction } from '../tcp/streamConsumer';
import type { Framing } from './bodyFraming';
import { ChunkedDecoder } from './chunkedDecoder';
import { parseHead } from './headParser';
import { HeadScanner } from './headScanner';
import { HttpMessage } from './httpMessage';
import { findStartLine } from './startLine';
import type { ExpectedStart } from './startLine';
import type { SampleBudget, SampleLimits } from './sampleBudget';

export interface MessageOwner {
  /** A head was parsed; the owner frames its body, or 'reject's it as impossible on this direction. */
  onHead(reader: MessageReader, msg: HttpMessage): Framing | 'reject';
  onMessageEnd(reader: MessageReader, msg: HttpMessage): void;
  /** The direction ended with flags meant for a next message that never came (a bad start line, lost bytes). */
  onLeftoverFlags(reader: MessageReader, flags: readonly CaptureFlag[]): void;
}

type ReaderMode = 'head' | 'resync' | 'length' | 'chunked' | 'close' | 'stopped';

const LF = 0x0a;

export class MessageReader {
  expect: ExpectedStart;
  /** Bytes passed over while hunting for a start line (for giving up on a connection that never shows one). */
  scanned = 0;
  private mode: ReaderMode;
  /** A start line found by hunting is only a candidate until its head parses. */
  private probing: boolean;
  private atLineStart = true;
  private msg: HttpMessage | undefined = undefined;
  private lastMsg: HttpMessage | undefined = undefined;
  private remaining = 0;
  private pendingFlags: CaptureFlag[] = [];
  /** Bytes were lost before the next message (pairing takes care after lost responses). */
  private afterGap = false;
  private headTsUs = 0;
  private headWire = 0;
  private readonly scanner: HeadScanner;
  private readonly chunked: ChunkedDecoder;
  private readonly sampleLimits: SampleLimits;

  constructor(
    readonly dir: Direction,
    expect: ExpectedStart,
    hunting: boolean,
    private readonly owner: MessageOwner,
    config: CaptureConfig,
    private readonly counters: Counters,
    sampleBudget: SampleBudget,
  ) {
    this.expect = expect;
    this.mode = hunting ? 'resync' : 'head';
    this.probing = hunting;
    this.scanner = new HeadScanner(config.httpMaxHeaderBytes);
    this.sampleLimits = { cap: config.bodyRawSampleBytes, budget: sampleBudget };
    this.chunked = new ChunkedDecoder(config.httpMaxHeaderBytes, this.sampleLimits);
  }

  get stopped(): boolean {
    return this.mode === 'stopped';
  }

  onData(data: Buffer, tsUs: number): void {
    const end = data.length;
    let pos = 0;
    while (pos < end) {
      const msg = this.msg;
      switch (this.mode) {
        case 'stopped':
          return;
        case 'resync': {
          // A new piece of data is a likely message start too: a body need not end with a line end.
          const p = findStartLine(data, pos, this.atLineStart || pos === 0, this.expect);
          if (p < 0) {
            this.scanned += end - pos;
            this.atLineStart = data[end - 1] === LF;
            return;
          }
          this.scanned += p - pos;
          pos = p;
          this.mode = 'head';
          this.probing = true;
          break;
        }
        case 'head':
          pos = this.head(data, pos, tsUs);
          break;
        case 'length': {
          if (msg === undefined) return;
          const n = Math.min(this.remaining, end - pos);
          msg.addBody(data, pos, pos + n, this.sampleLimits);
          msg.wireBytes += n;
          msg.lastTsUs = tsUs;
          this.remaining -= n;
          pos += n;
          if (this.remaining === 0) this.endMessage(msg, 'head');
          break;
        }
        case 'chunked': {
          if (msg === undefined) return;
          const next = this.chunked.feed(data, pos, msg);
          msg.wireBytes += next - pos;
          msg.lastTsUs = tsUs;
          pos = next;
          if (this.chunked.state === 'done') this.endMessage(msg, 'head');
          else if (this.chunked.state === 'error') this.endMessage(msg, 'resync', false);
          break;
        }
        case 'close':
          if (msg === undefined) return;
          msg.addBody(data, pos, end, this.sampleLimits);
          msg.wireBytes += end - pos;
          msg.lastTsUs = tsUs;
          pos = end;
          break;
      }
    }
  }

  /** `bytes` bytes (0: unknown) are missing before the next data. */
  onGap(bytes: number, tsUs: number): void {
    const msg = this.msg;
    switch (this.mode) {
      case 'length':
        if (msg === undefined) return;
        msg.addFlag('gap');
        if (bytes > 0 && bytes < this.remaining) {
          // The hole is inside the body: its size is known, so the body goes on.
          msg.addLostBody(bytes);
          msg.wireBytes += bytes;
          this.remaining -= bytes;
          return;
        }
        if (bytes > 0) {
          msg.addLostBody(this.remaining);
          msg.wireBytes += this.remaining;
          const exact = bytes === this.remaining;
          this.endMessage(msg, exact ? 'head' : 'resync', true);
          if (!exact) this.addPending('gap');
          return;
        }
        this.cut(msg);
        return;
      case 'close':
        if (msg === undefined) return;
        msg.addFlag('gap');
        msg.addLostBody(bytes);
        msg.wireBytes += bytes;
        return;
      case 'chunked':
        if (msg !== undefined) this.cut(msg);
        return;
      case 'head':
        if (this.scanner.idle) this.addPending('gap');
        else if (this.scanner.takePartial()) {
          // The start line made it: keep the message with what arrived of its head. A candidate
          // found by hunting too: a capture cut by its snap length loses the rest of every head
          // after the first gap, yet each start line is there, whole, at the start of a segment.
          this.startMessage(tsUs, 'gap');
          this.afterGap = true;
        } else {
          if (!this.probing) this.counters.inc('capture_http_heads_dropped_total{reason="gap"}');
          this.addPending('gap');
        }
        this.mode = 'resync';
        this.atLineStart = true;
        return;
      case 'resync':
        this.addPending('gap');
        this.atLineStart = true;
        return;
      case 'stopped':
        return;
    }
  }

  /**
   * Marks the message being read; between messages, the one just read if its exchange is still
   * held (retransmitted bytes usually belong to it), or else the next one.
   */
  flag(flag: CaptureFlag): void {
    if (!this.flagInFlight(flag)) this.addPending(flag);
  }

  /**
   * Flags the message in progress, or the last one while its exchange is not yet emitted; false
   * when neither exists, for facts that belong to bytes already reported (never to the next message).
   */
  flagInFlight(flag: CaptureFlag): boolean {
    const last = this.lastMsg;
    if (this.msg !== undefined) this.msg.addFlag(flag);
    else if (this.scanner.idle && last?.slot !== undefined && !last.slot.emitted) last.addFlag(flag);
    else return false;
    return true;
  }

  /**
   * The direction ended (FIN, or the connection closed with `reasonFlag` unless it closed
   * normally). A body its framing said would go on is truncated; a close-delimited body ends
   * normally unless `closeDelimitedFlag` says the close was not the sender's.
   */
  finish(reasonFlag: CaptureFlag | undefined, closeDelimitedFlag: CaptureFlag | undefined): void {
    const msg = this.msg;
    switch (this.mode) {
      case 'length':
      case 'chunked':
        if (msg === undefined) break;
        msg.truncated = true;
        msg.addFlag('truncated_body');
        if (reasonFlag !== undefined) msg.addFlag(reasonFlag);
        this.endMessage(msg, 'stopped');
        break;
      case 'close':
        if (msg === undefined) break;
        if (closeDelimitedFlag !== undefined) msg.addFlag(closeDelimitedFlag);
        this.endMessage(msg, 'stopped');
        break;
      case 'head':
        if (!this.scanner.idle && !this.probing) this.counters.inc('capture_http_heads_dropped_total{reason="incomplete"}');
        this.scanner.reset();
        break;
      case 'resync':
      case 'stopped':
        break;
    }
    if (this.mode !== 'stopped' && this.pendingFlags.length > 0) {
      this.owner.onLeftoverFlags(this, this.pendingFlags);
      this.pendingFlags.length = 0;
    }
    this.mode = 'stopped';
  }

  /** Stops reading this direction for good (the connection left HTTP). */
  stop(): void {
    this.mode = 'stopped';
  }

  private head(data: Buffer, pos: number, tsUs: number): number {
    const scanner = this.scanner;
    if (scanner.idle) {
      this.headTsUs = tsUs;
      this.headWire = 0;
    }
    const next = scanner.feed(data, pos, this.expect, this.probing, !this.probing);
    this.headWire += next - pos;
    switch (scanner.result) {
      case 'need_more':
        break;
      case 'complete':
        this.startMessage(tsUs, undefined);
        break;
      case 'bad_start':
        if (this.probing) this.scanned += this.headWire;
        else {
          const status = this.expect === 'status';
          this.counters.inc(`capture_http_start_lines_rejected_total{kind="${status ? 'status' : 'request'}"}`);
          this.addPending(status ? 'http_bad_status_line' : 'http_bad_request_line');
        }
        this.mode = 'resync';
        this.atLineStart = true;
        break;
      case 'too_large':
        if (scanner.headEnd > scanner.headStart && !this.probing) this.startMessage(tsUs, 'headers_too_large');
        else {
          if (this.probing) this.scanned += this.headWire;
          else {
            this.counters.inc('capture_http_heads_dropped_total{reason="too_large"}');
            this.addPending('headers_too_large');
          }
          this.mode = 'resync';
        }
        this.atLineStart = scanner.stoppedAtLineStart;
        break;
    }
    return next;
  }

  /** A head is complete, or was cut short (`cut`: why) and is taken as it is. */
  private startMessage(tsUs: number, cut: 'headers_too_large' | 'gap' | undefined): void {
    const scanner = this.scanner;
    const msg = new HttpMessage();
    msg.firstTsUs = this.headTsUs;
    msg.lastTsUs = tsUs;
    msg.wireBytes = this.headWire;
    parseHead(scanner.headBuf, scanner.headStart, scanner.headEnd, scanner.kind, msg);
    for (const f of this.pendingFlags) msg.addFlag(f);
    msg.afterGap = this.afterGap || this.pendingFlags.includes('gap');
    if (cut === 'headers_too_large') msg.addFlag(cut);
    msg.headCut = cut !== undefined;
    const framing = this.owner.onHead(this, msg);
    if (cut === 'gap') msg.addFlag(cut);
    if (framing === 'reject') {
      this.mode = 'resync';
      this.atLineStart = true;
      return;
    }
    this.pendingFlags.length = 0;
    this.afterGap = false;
    this.probing = false;
    if (cut !== undefined) {
      // The rest of the head was never seen, so its framing is unknown: look for the next message.
      this.endMessage(msg, 'resync', false);
      return;
    }
    switch (framing) {
      case 'none':
        this.endMessage(msg, 'head');
        break;
      case 'length':
        this.msg = msg;
        this.remaining = msg.contentLength;
        this.mode = 'length';
        break;
      case 'chunked':
        this.msg = msg;
        this.chunked.reset();
        this.mode = 'chunked';
        break;
      case 'close':
        this.msg = msg;
        this.mode = 'close';
        break;
      case 'resync':
        this.endMessage(msg, 'resync', true);
        break;
      case 'upgrade':
      case 'connect':
        this.endMessage(msg, 'stopped');
        break;
    }
  }

  /** The message is over; reading goes on in `next` mode (before the owner hears of it, so it may stop us). */
  private endMessage(msg: HttpMessage, next: ReaderMode, atLineStart = true): void {
    this.msg = undefined;
    this.lastMsg = msg;
    this.mode = next;
    if (next === 'resync') {
      this.probing = true;
      this.atLineStart = atLineStart;
    } else if (next === 'head') this.probing = false;
    this.owner.onMessageEnd(this, msg);
  }

  /** Lost bytes of unknown extent cut the body: end the message and hunt for the next. */
  private cut(msg: HttpMessage): void {
    msg.addFlag('gap');
    msg.addFlag('truncated_body');
    msg.truncated = true;
    this.endMessage(msg, 'resync');
    this.addPending('gap');
  }

  private addPending(flag: CaptureFlag): void {
    if (flag === 'gap') this.afterGap = true;
    if (!this.pendingFlags.includes(flag)) this.pendingFlags.push(flag);
  }
}
