// Pairs responses with requests in order (pipelining included), bounded by httpMaxPendingRequests,
// and hands each pair on once both messages are finished.
import type { CaptureFlag, Counters } from '@sidetap/core';
import { ExchangeSlot } from './exchangeSlot';
import type { HttpMessage } from './httpMessage';

export interface SlotSink {
  emitSlot(slot: ExchangeSlot): void;
}

/**
 * How much later than a response a request may be stamped and still be the one it answers: NIC
 * queues stamp packets out of step (multi-queue capture), so a fast response can carry a time a
 * little before its request's.
 */
export const CLOCK_SKEW_US = 500;

export class ExchangePairing {
  /** Requests whose response has not started, oldest first. */
  private readonly awaiting: ExchangeSlot[] = [];
  /**
   * Responses that found no request, oldest first. The capture may write a request after its
   * response (NIC queues drained out of order), so until a request stamped after them arrives,
   * or the connection ends, they wait for one stamped before them.
   */
  private readonly early: ExchangeSlot[] = [];
  private reqInProgress: ExchangeSlot | undefined = undefined;
  private resInProgress: ExchangeSlot | undefined = undefined;
  private nextIndex = 0;
  private interimSeen = false;
  private interimBytes = 0;

  constructor(
    private readonly maxPending: number,
    private readonly sink: SlotSink,
    private readonly counters: Counters,
  ) {}

  /** A request head was parsed. */
  request(msg: HttpMessage): ExchangeSlot {
    const answered = this.answeredEarly(msg);
    if (answered !== undefined) return answered;
    const slot = new ExchangeSlot(this.nextIndex++);
    slot.req = msg;
    msg.slot = slot;
    if (this.awaiting.length > 0) slot.addFlag('pipelined');
    this.awaiting.push(slot);
    this.reqInProgress = slot;
    if (this.awaiting.length > this.maxPending) {
      const oldest = this.awaiting.shift() as ExchangeSlot;
      this.counters.inc('capture_http_requests_evicted_total');
      oldest.addFlag('unanswered_request');
      this.emit(oldest);
    }
    return slot;
  }

  /** A 1xx interim response: noted on the exchange its final response will belong to. */
  interim(msg: HttpMessage): void {
    this.interimSeen = true;
    this.interimBytes += msg.wireBytes;
  }

  /**
   * A final response head was parsed: it answers the oldest request waiting, provided that request
   * began before it. After lost server bytes (`gap` on the response) it answers the most recent
   * request sent before it instead, and the older ones were answered in what was lost.
   */
  response(msg: HttpMessage): ExchangeSlot {
    const awaiting = this.awaiting;
    let slot: ExchangeSlot | undefined;
    const latestRequestUs = msg.firstTsUs + CLOCK_SKEW_US;
    if (msg.afterGap) {
      let k = awaiting.length - 1;
      while (k >= 0 && (awaiting[k]?.req?.firstTsUs ?? 0) > latestRequestUs) k--;
      if (k >= 0) {
        const older = awaiting.splice(0, k + 1);
        slot = older.pop();
        for (const lost of older) {
          lost.addFlag('unanswered_request');
          lost.addFlag('gap');
          this.emit(lost);
        }
      }
    } else if (awaiting.length > 0 && (awaiting[0]?.req?.firstTsUs ?? 0) <= latestRequestUs) {
      slot = awaiting.shift();
    }
    if (slot === undefined) {
      slot = new ExchangeSlot(this.nextIndex++);
      this.early.push(slot);
      if (this.early.length > this.maxPending) this.unmatched(this.early.shift() as ExchangeSlot);
    }
    slot.res = msg;
    msg.slot = slot;
    if (this.interimSeen) {
      slot.addFlag('http_informational');
      slot.interimBytes = this.interimBytes;
      this.interimSeen = false;
      this.interimBytes = 0;
    }
    this.resInProgress = slot;
    return slot;
  }

  /** Notes flags on the oldest request still waiting for its response, if any. */
  flagOldestAwaiting(flags: readonly CaptureFlag[]): void {
    const oldest = this.awaiting[0];
    if (oldest !== undefined) for (const flag of flags) oldest.addFlag(flag);
  }

  messageEnd(msg: HttpMessage): void {
    const slot = msg.slot;
    if (slot === undefined) return;
    if (msg.isRequest) {
      slot.reqDone = true;
      if (this.reqInProgress === slot) this.reqInProgress = undefined;
    } else {
      slot.resDone = true;
      if (this.resInProgress === slot) this.resInProgress = undefined;
    }
    if (slot.reqDone && slot.resDone) this.emit(slot);
  }

  /**
   * The response waiting in `early` that request `msg` answers: the oldest one stamped no earlier
   * than it. Those stamped before it never had their request captured.
   */
  private answeredEarly(msg: HttpMessage): ExchangeSlot | undefined {
    const early = this.early;
    while (early.length > 0 && (early[0]?.res?.firstTsUs ?? 0) < msg.firstTsUs) this.unmatched(early.shift() as ExchangeSlot);
    const slot = early.shift();
    if (slot === undefined) return undefined;
    slot.req = msg;
    msg.slot = slot;
    this.reqInProgress = slot;
    return slot;
  }

  /** A response whose request was never captured: it goes out alone once it is complete. */
  private unmatched(slot: ExchangeSlot): void {
    slot.addFlag('unmatched_response');
    slot.reqDone = true;
    if (slot.resDone) this.emit(slot);
  }

  /** The connection is over: everything still held goes out, requests without a response as unanswered. */
  flush(reasonFlag: CaptureFlag | undefined): void {
    // Complete ones first, as they would have gone out had no request been awaited.
    const early = this.early.splice(0);
    for (const slot of early) this.unmatched(slot);
    const left = [...this.awaiting, ...early.filter((slot) => !slot.emitted)];
    if (this.reqInProgress !== undefined && !left.includes(this.reqInProgress)) left.push(this.reqInProgress);
    if (this.resInProgress !== undefined && !left.includes(this.resInProgress)) left.push(this.resInProgress);
    left.sort((x, y) => x.index - y.index);
    this.awaiting.length = 0;
    this.reqInProgress = undefined;
    this.resInProgress = undefined;
    for (const slot of left) {
      if (slot.res === undefined) slot.addFlag('unanswered_request');
      if (reasonFlag !== undefined) slot.addFlag(reasonFlag);
      this.emit(slot);
    }
  }

  private emit(slot: ExchangeSlot): void {
    if (slot.emitted) return;
    slot.emitted = true;
    this.sink.emitSlot(slot);
  }
}
