// One TCP connection: its two directions, the initial sequence numbers seen in SYNs, and closing
// exactly once. The reassembler decides which connection a segment belongs to.
import type { Counters } from '@sidetap/core';
import type { CaptureConfig } from '../captureConfig';
import type { BufferBudget } from './bufferBudget';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../decode/tcpSegment';
import type { TcpSegment } from '../decode/tcpSegment';
import type { FlowLink } from './flowTable';
import type { RetainBudget } from './retainBudget';
import { RetainedData } from './retainedData';
import { seqAdd, seqDiff } from './seq';
import { sitsAt } from './sequenceSpace';
import type { StreamPosition } from './sequenceSpace';
import type { CloseReason, ConnectionInfo, Direction, StreamConsumer } from './streamConsumer';
import { StreamDirection } from './streamDirection';
import { FLOWS_CLOSED_COUNTER } from './tcpCounters';

/**
 * A SYN arriving after data of its own direction is an old copy (capture reordering) only when it
 * sits a little before that data; anywhere else it opens a new connection on the same endpoints.
 */
const LATE_SYN_WINDOW = 1 << 20;

export class TcpConnection implements FlowLink<TcpConnection> {
  lastUs = 0;
  older: TcpConnection | undefined;
  newer: TcpConnection | undefined;
  closed = false;
  private readonly streams: readonly [StreamDirection, StreamDirection];
  private readonly isn: [number, number] = [0, 0];
  private readonly isnSeen: [boolean, boolean] = [false, false];

  constructor(
    readonly key: string,
    /** The endpoints alone (tupleKey): the key without VLAN tags or VNI. */
    readonly tuple: string,
    readonly info: ConnectionInfo,
    private readonly consumer: StreamConsumer,
    config: CaptureConfig,
    private readonly counters: Counters,
    /** Shared by every connection of the reassembler; undefined when retransmission checks are off. */
    retainBudget: RetainBudget | undefined,
    /** Out-of-order bytes of every connection of the reassembler. */
    bufferBudget: BufferBudget,
  ) {
    const cap = config.tcpRetainUnackedBytes;
    const retained = (): RetainedData | undefined => (retainBudget === undefined ? undefined : new RetainedData(retainBudget, cap));
    this.streams = [
      new StreamDirection(0, consumer, config, counters, retained(), bufferBudget),
      new StreamDirection(1, consumer, config, counters, retained(), bufferBudget),
    ];
  }

  directionOf(segment: TcpSegment): Direction {
    const a = this.info.a;
    return segment.srcPort === a.port && segment.srcIp === a.ip ? 0 : 1;
  }

  /** Where each direction's sequence numbers stand. */
  get positions(): readonly [StreamPosition, StreamPosition] {
    return this.streams;
  }

  /** The initial sequence number of direction `dir`, when its SYN (or the SYN/ACK answering it) was seen. */
  isnOf(dir: Direction): number | undefined {
    return this.isnSeen[dir] ? this.isn[dir] : undefined;
  }

  /** Whether `segment` sits where this connection's sequence numbers stand (a copy of its traffic). */
  holds(segment: TcpSegment): boolean {
    const dir = this.directionOf(segment);
    return sitsAt(segment, this.streams[dir], this.streams[dir === 0 ? 1 : 0], this.isnOf(dir));
  }

  /** True once either direction sent its FIN. */
  get finSeen(): boolean {
    return this.streams[0].ended || this.streams[1].ended;
  }

  /**
   * Takes the initial sequence number `isn` of direction `dir` from a SYN or SYN/ACK. False when the
   * SYN cannot belong to this connection: the endpoints were reused for a new one.
   */
  acceptSyn(dir: Direction, isn: number): boolean {
    const stream = this.streams[dir];
    if (stream.ended) return false;
    if (this.isnSeen[dir]) return this.isn[dir] === isn;
    if (stream.started) {
      const behind = seqDiff(stream.nextSeq, seqAdd(isn, 1));
      if (behind < 0 || behind >= LATE_SYN_WINDOW) return false;
    } else {
      stream.start(seqAdd(isn, 1));
    }
    this.isn[dir] = isn;
    this.isnSeen[dir] = true;
    return true;
  }

  /** Handles a segment of direction `dir`; its SYN, if any, was already accepted. */
  onSegment(segment: TcpSegment, dir: Direction): void {
    const { flags, payload, tsUs } = segment;
    if ((flags & TCP_RST) !== 0) {
      this.close('rst', tsUs);
      return;
    }
    const stream = this.streams[dir];
    if ((flags & TCP_ACK) !== 0) this.streams[dir === 0 ? 1 : 0].onPeerAck(segment.ack, tsUs);
    const dataSeq = (flags & TCP_SYN) !== 0 ? seqAdd(segment.seq, 1) : segment.seq;
    const snapped = segment.snappedBytes;
    if (payload.length > 0 || snapped > 0) stream.onPayload(dataSeq, payload, tsUs, snapped);
    if ((flags & TCP_FIN) !== 0) {
      stream.onFin(seqAdd(dataSeq, payload.length + snapped), tsUs);
      if (this.streams[0].ended && this.streams[1].ended) this.close('fin', tsUs);
    }
  }

  /** Delivers what is held (holes become gaps) and closes the consumer; only the first call acts. */
  close(reason: CloseReason, tsUs: number): void {
    if (this.closed) return;
    this.closed = true;
    this.streams[0].flushAll(tsUs);
    this.streams[1].flushAll(tsUs);
    this.streams[0].releaseRetained();
    this.streams[1].releaseRetained();
    this.counters.inc(FLOWS_CLOSED_COUNTER[reason]);
    this.consumer.onClose(reason, tsUs);
  }
}
