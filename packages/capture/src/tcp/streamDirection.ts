// One direction of a connection: the next expected sequence number, the out-of-order store, the
// delivered bytes kept until acknowledged, the FIN, and delivery of in-order bytes (and declared
// gaps) to the connection's consumer.
import type { Counters } from '@sidetap/core';
import type { CaptureConfig } from '../captureConfig';
import type { BufferBudget, HoleHolder } from './bufferBudget';
import { ReassemblyBuffer } from './reassemblyBuffer';
import type { RetainedData } from './retainedData';
import { seqAdd, seqDiff, seqGt, seqLt } from './seq';

import type { Direction, StreamConsumer } from './streamConsumer';
import { TCP_COUNTERS } from './tcpCounters';

/** seqDiff of two numbers 2^31 apart, whichever way round. */
const HALF_SPACE = -(2 ** 31);

export class StreamDirection implements HoleHolder {
  /** False until the first sequence number of this direction is known (SYN, SYN/ACK or first data). */
  started = false;
  /** Sequence number of the next byte to deliver. */
  nextSeq = 0;
  /** FIN was seen and onEnd delivered; later data of this direction is ignored. */
  ended = false;
  /** Highest sequence number of this direction the peer acknowledged. */
  private peerAck = 0;
  private peerAckSeen = false;
  private readonly buffer: ReassemblyBuffer;

  constructor(
    private readonly dir: Direction,
    private readonly consumer: StreamConsumer,
    private readonly config: CaptureConfig,
    private readonly counters: Counters,
    /** Delivered bytes kept for retransmission checks; undefined when the check is off. */
    private readonly retained: RetainedData | undefined,
    /** Out-of-order bytes of every connection of the reassembler, counted against tcpBufferedTotalBytes. */
    private readonly bufferBudget: BufferBudget,
  ) {
    this.buffer = new ReassemblyBuffer(bufferBudget, this);
  }

  start(seq: number): void {
    this.started = true;
    this.nextSeq = seq;
  }

  /**
   * Payload of this direction starting at sequence number `seq`, of which the capture kept `data`:
   * the snap length cut off `snapped` more bytes after it.
   */
  onPayload(seq: number, data: Buffer, tsUs: number, snapped = 0): void {
    if (this.ended) return;
    if (!this.started) this.start(seq);
    if (data.length > 0) this.take(seq, data, tsUs);
    if (snapped > 0) this.lostAfter(seqAdd(seq, data.length), snapped, tsUs);
  }

  private take(seq: number, data: Buffer, tsUs: number): void {
    const behind = seqDiff(this.nextSeq, seq);
    if (behind === HALF_SPACE) {
      // Exactly 2^31 away is neither ahead nor behind (RFC 9293 leaves it undefined): a forged or
      // corrupt number, never a place in this stream. Held, it could be neither delivered nor declared a gap.
      this.counters.inc(TCP_COUNTERS.segmentsOutOfWindow);
      return;
    }
    if (behind > 0) {
      // A keep-alive probe repeats the last byte (or none) one before the next expected one.
      if (behind === 1 && data.length <= 1) return;
      const resent = behind < data.length ? behind : data.length;
      if (this.retained !== undefined && this.retained.differs(seq, data, resent)) this.conflict(tsUs);
      if (behind >= data.length) {
        this.counters.inc(TCP_COUNTERS.retransmittedBytes, data.length);
        return;
      }
      this.counters.inc(TCP_COUNTERS.retransmittedBytes, behind);
      this.deliverInOrder(data.subarray(behind), tsUs);
    } else if (behind === 0) {
      this.deliverInOrder(data, tsUs);
    } else {
      this.hold(seq, data, tsUs);
    }
  }

  /** The peer acknowledged this direction's bytes up to `ack`. */
  onPeerAck(ack: number, tsUs: number): void {
    if (!this.peerAckSeen || seqGt(ack, this.peerAck)) {
      this.peerAck = ack;
      this.peerAckSeen = true;
    }
    if (this.retained !== undefined) this.retained.onAck(ack);
    this.flushAcknowledgedHoles(tsUs);
  }

  /**
   * This direction sent FIN at sequence number `finSeq` (after its payload). Holes before it can no
   * longer be filled in order, so they become gaps, and the direction ends.
   */
  onFin(finSeq: number, tsUs: number): void {
    if (this.ended) return;
    if (!this.started) this.start(finSeq);
    for (let held = this.buffer.first(); held !== undefined && seqLt(held.seq, finSeq); held = this.buffer.first()) {
      this.flushHole(tsUs);
    }
    const missing = seqDiff(finSeq, this.nextSeq);
    if (missing > 0) this.gap(missing, tsUs);
    this.ended = true;
    this.buffer.clear();
    // Later data of an ended direction is ignored, so nothing is left to compare against.
    this.releaseRetained();
    this.consumer.onEnd(this.dir, tsUs);
  }

  /** Delivers everything held, declaring each hole before it a gap (RST or close). */
  flushAll(tsUs: number): void {
    while (this.buffer.count > 0) this.flushHole(tsUs);
  }

  /** The shared out-of-order budget needs room: the first hole becomes a gap and what follows is delivered. */
  giveUpHole(tsUs: number): void {
    if (this.buffer.count === 0) return;
    this.counters.inc(TCP_COUNTERS.budgetGaps);
    this.flushHole(tsUs);
  }

  /** Gives the kept delivered bytes back to the budget (FIN, close, eviction). */
  releaseRetained(): void {
    if (this.retained !== undefined) this.retained.clear();
  }

  private hold(seq: number, data: Buffer, tsUs: number): void {
    this.counters.inc(TCP_COUNTERS.outOfOrder);
    const { overlapBytes, conflict } = this.buffer.insert(seq, data, this.nextSeq);
    if (overlapBytes > 0) this.counters.inc(TCP_COUNTERS.retransmittedBytes, overlapBytes);
    if (conflict) this.conflict(tsUs);
    const { tcpMaxBufferedBytes, tcpMaxBufferedSegments } = this.config;
    if (this.buffer.bytes > tcpMaxBufferedBytes || this.buffer.count > tcpMaxBufferedSegments) {
      this.counters.inc(TCP_COUNTERS.bufferOverflows);
      while (this.buffer.bytes > tcpMaxBufferedBytes || this.buffer.count > tcpMaxBufferedSegments) {
        this.flushHole(tsUs);
      }
    }
    this.flushAcknowledgedHoles(tsUs);
    // Checked once the segment is held, so a retransmission overlapping held data costs no room:
    // between segments the total never exceeds the limit; within this call by at most this segment.
    if (this.bufferBudget.over) this.bufferBudget.makeRoom(this.buffer, tsUs);
  }

  /**
   * `data` starts at nextSeq. Delivered straight from the caller's buffer, except where it overlaps
   * held data: there the held (first) copy wins.
   */
  private deliverInOrder(data: Buffer, tsUs: number): void {
    let pos = 0;
    while (pos < data.length) {
      const held = this.buffer.first();
      const remaining = data.length - pos;
      const untilHeld = held === undefined ? remaining : seqDiff(held.seq, this.nextSeq);
      if (held === undefined || untilHeld >= remaining) {
        this.emit(pos === 0 ? data : data.subarray(pos), tsUs);
        break;
      }
      if (untilHeld > 0) {
        this.emit(data.subarray(pos, pos + untilHeld), tsUs);
        pos += untilHeld;
      }
      const overlap = Math.min(held.data.length, data.length - pos);
      this.counters.inc(TCP_COUNTERS.retransmittedBytes, overlap);
      if (data.compare(held.data, 0, overlap, pos, pos + overlap) !== 0) this.conflict(tsUs);
      this.buffer.shift();
      this.emit(held.data, tsUs);
      pos += held.data.length;
    }
    this.drain(tsUs);
  }

  /** Delivers held segments that became contiguous with the delivered stream. */
  private drain(tsUs: number): void {
    for (let held = this.buffer.first(); held !== undefined; held = this.buffer.first()) {
      const behind = seqDiff(this.nextSeq, held.seq);
      if (behind < 0) break;
      this.buffer.shift();
      if (behind < held.data.length) this.emit(behind === 0 ? held.data : held.data.subarray(behind), tsUs);
    }
  }

  /** Gives up on the hole before the first held segment and delivers from there. */
  private flushHole(tsUs: number): void {
    const held = this.buffer.first();
    if (held === undefined) return;
    const missing = seqDiff(held.seq, this.nextSeq);
    if (missing > 0) this.gap(missing, tsUs);
    this.drain(tsUs);
    // Every caller loops until the holes are gone: a segment that can be neither delivered nor
    // reached by a gap (take() keeps them out) is dropped, counted, so the loop always ends.
    if (this.buffer.first() === held) {
      this.buffer.shift();
      this.counters.inc(TCP_COUNTERS.segmentsOutOfWindow);
    }
  }

  /**
   * `bytes` bytes from `cutSeq` were sent but cut off by the snap length: no copy of them will ever
   * be captured, so when delivery stands at the cut they are a gap now, not when a later segment
   * or ACK shows the hole (by then the other direction may have moved on).
   */
  private lostAfter(cutSeq: number, bytes: number, tsUs: number): void {
    if (seqDiff(this.nextSeq, cutSeq) !== 0) return;
    const held = this.buffer.first();
    const lost = held === undefined ? bytes : Math.min(bytes, seqDiff(held.seq, cutSeq));
    if (lost <= 0) return;
    this.gap(lost, tsUs);
    this.drain(tsUs);
  }

  /** Bytes the peer acknowledged were received, so a hole they cover will never be retransmitted. */
  private flushAcknowledgedHoles(tsUs: number): void {
    if (!this.peerAckSeen || !this.started) return;
    for (let held = this.buffer.first(); held !== undefined; held = this.buffer.first()) {
      if (seqDiff(this.peerAck, held.seq) < 0) break;
      this.flushHole(tsUs);
    }
  }

  private gap(missing: number, tsUs: number): void {
    this.counters.inc(TCP_COUNTERS.gaps);
    this.counters.inc(TCP_COUNTERS.gapBytes, missing);
    this.nextSeq = seqAdd(this.nextSeq, missing);
    this.consumer.onGap(this.dir, missing, tsUs);
  }

  private conflict(tsUs: number): void {
    this.counters.inc(TCP_COUNTERS.overlapConflicts);
    this.consumer.onOverlapConflict(this.dir, tsUs);
  }

  private emit(data: Buffer, tsUs: number): void {
    if (data.length === 0) return;
    if (this.retained !== undefined && !this.retained.append(this.nextSeq, data)) {
      this.counters.inc(TCP_COUNTERS.retainSkippedBytes, data.length);
    }
    this.nextSeq = seqAdd(this.nextSeq, data.length);
    this.consumer.onData(this.dir, data, tsUs);
  }
}
