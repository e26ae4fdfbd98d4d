// TCP reassembly: routes decoded segments to their connection, opens connections from SYNs or
// midstream data, and closes them on FIN/RST, idle timeout (capture time), eviction or request.
import type { Counters } from '@sidetap/core';
import type { CaptureConfig } from '../captureConfig';
import { TCP_ACK, TCP_RST, TCP_SYN } from '../decode/tcpSegment';
import type { TcpSegment } from '../decode/tcpSegment';
import { BufferBudget } from './bufferBudget';
import { ClosedFlows } from './closedFlows';
import { connectionId } from './connectionId';
import { ExpiryClock } from './expiryClock';
import { flowKey, tupleKey } from './flowKey';
import { FlowTable } from './flowTable';
import { RetainBudget } from './retainBudget';
import { seqAdd } from './seq';
import type { CloseReason, ConnectionInfo, ConsumerFactory } from './streamConsumer';
import { TcpConnection } from './tcpConnection';
import { TCP_COUNTERS } from './tcpCounters';

/**
 * Size of the chunks delivered bytes are kept in: small enough that a connection holding a short
 * message ties up little of the budget, large enough that a 1460-byte segment rarely spans two.
 */
const RETAIN_CHUNK_BYTES = 4096;

export class TcpReassembler {
  private readonly flows = new FlowTable<TcpConnection>();
  /** Open connections with VLAN tags or a VNI, by their endpoints alone (the latest one per endpoints). */
  private readonly tagged = new Map<string, TcpConnection>();
  /** Connections that ended lately by FIN or RST, so their late segments open nothing. */
  private readonly closedFlows: ClosedFlows;
  private readonly idleUs: number;
  private readonly clock = new ExpiryClock();
  private readonly retainBudget: RetainBudget | undefined;
  private readonly bufferBudget: BufferBudget;
  /**
   * The open connection the last segment went to, and that segment's addressing. Consecutive
   * segments mostly belong to one flow, so a match skips building and hashing the flow key; IP
   * strings come from the decoder's cache, so the compares are mostly pointer compares.
   */
  private lastConn: TcpConnection | undefined = undefined;
  private lastSrcIp = '';
  private lastDstIp = '';
  private lastSrcPort = 0;
  private lastDstPort = 0;
  private lastVlan: readonly number[] | undefined = undefined;
  private lastVni: number | undefined = undefined;
  private lastTunnel: TcpSegment['tunnel'] = undefined;

  constructor(
    private readonly config: CaptureConfig,
    private readonly counters: Counters,
    private readonly createConsumer: ConsumerFactory,
  ) {
    this.idleUs = config.flowIdleTimeoutSec * 1_000_000;
    const { tcpRetainUnackedBytes: cap, tcpRetainTotalBytes: total } = config;
    this.retainBudget = cap > 0 && total > 0 ? new RetainBudget(total, Math.min(cap, RETAIN_CHUNK_BYTES)) : undefined;
    this.bufferBudget = new BufferBudget(config.tcpBufferedTotalBytes);
    this.closedFlows = new ClosedFlows(config.maxFlows, counters);
  }

  get openFlows(): number {
    return this.flows.size;
  }

  /** Bytes of storage all connections hold for retransmission checks (whole chunks; at most tcpRetainTotalBytes). */
  get retainedBytes(): number {
    return this.retainBudget === undefined ? 0 : this.retainBudget.bytes;
  }

  /** Out-of-order bytes all connections hold, waiting for a hole to fill (at most tcpBufferedTotalBytes between segments). */
  get bufferedBytes(): number {
    return this.bufferBudget.bytes;
  }

  /**
   * Moves capture time forward, running idle expiry when it is due. onSegment does this itself;
   * a caller that withholds some segments (a shard filter) calls it for those, so idle connections
   * close at the same capture time as when every segment is seen.
   */
  advanceClock(tsUs: number): void {
    if (this.clock.advance(tsUs)) this.sweepIdle();
  }

  onSegment(segment: TcpSegment): void {
    this.counters.inc(TCP_COUNTERS.segments);
    this.advanceClock(segment.tsUs);
    const last = this.lastConn;
    let key: string;
    let conn: TcpConnection | undefined;
    let copy = false;
    if (last !== undefined && !last.closed && this.sameFlowAsLast(segment)) {
      key = last.key;
      conn = last;
    } else {
      key = flowKey(segment);
      conn = this.flows.get(key);
      if (conn === undefined) {
        conn = this.copyOwner(segment, key);
        copy = conn !== undefined;
      }
    }
    if (conn !== undefined) {
      const dir = conn.directionOf(segment);
      const isSyn = (segment.flags & (TCP_SYN | TCP_RST)) === TCP_SYN;
      if (isSyn && !conn.acceptSyn(dir, segment.seq)) {
        this.counters.inc(TCP_COUNTERS.flowsReused);
        this.closeFlow(conn, conn.finSeen ? 'fin' : 'rst', segment.tsUs);
        conn = this.open(segment, key);
      } else {
        this.flows.touch(conn, this.clock.nowUs);
        conn.onSegment(segment, dir);
      }
    } else {
      conn = this.open(segment, key);
    }
    if (conn === undefined) return;
    if (conn.closed) {
      // Its own FIN or RST closed it: what is still in flight, or copied late, belongs to it.
      this.removeFlow(conn);
      this.closedFlows.add(conn, this.clock.nowUs);
    } else if (conn !== last && !copy) this.rememberFlow(conn, segment);
  }

  /**
   * The open connection `segment` is a copy of, seen under other VLAN tags (a SPAN session
   * mirroring both VLANs a router joins) in the same virtual network: same endpoints,
   * and the place in sequence space where that connection stands. Counted.
   */
  private copyOwner(segment: TcpSegment, key: string): TcpConnection | undefined {
    const untagged = segment.vlan === undefined && segment.vni === undefined;
    const tuple = untagged ? key : tupleKey(segment);
    const conn = (untagged ? undefined : this.flows.get(tuple)) ?? this.tagged.get(tuple);
    // Another VNI is another virtual network (tenants reuse addresses), never a copy.
    if (conn === undefined || conn.key === key || conn.info.vni !== segment.vni || !conn.holds(segment)) return undefined;
    this.counters.inc(TCP_COUNTERS.copiesMerged);
    return conn;
  }

  private removeFlow(conn: TcpConnection): void {
    this.flows.remove(conn);
    if (this.tagged.get(conn.tuple) === conn) this.tagged.delete(conn.tuple);
    if (this.lastConn === conn) this.lastConn = undefined;
  }

  /** Whether `segment` (either direction) has the addressing of the last one, so the same flow key. */
  private sameFlowAsLast(segment: TcpSegment): boolean {
    const { srcIp, dstIp, srcPort, dstPort } = segment;
    const forward = srcPort === this.lastSrcPort && dstPort === this.lastDstPort && srcIp === this.lastSrcIp && dstIp === this.lastDstIp;
    if (!forward && !(srcPort === this.lastDstPort && dstPort === this.lastSrcPort && srcIp === this.lastDstIp && dstIp === this.lastSrcIp)) return false;
    return segment.vni === this.lastVni && segment.tunnel === this.lastTunnel && sameVlans(segment.vlan, this.lastVlan);
  }

  private rememberFlow(conn: TcpConnection, segment: TcpSegment): void {
    this.lastConn = conn;
    this.lastSrcIp = segment.srcIp;
    this.lastDstIp = segment.dstIp;
    this.lastSrcPort = segment.srcPort;
    this.lastDstPort = segment.dstPort;
    this.lastVlan = segment.vlan;
    this.lastVni = segment.vni;
    this.lastTunnel = segment.tunnel;
  }

  /** Close connections idle longer than config.flowIdleTimeoutSec before nowUs (capture time). */
  expireIdle(nowUs: number): void {
    this.clock.advance(nowUs);
    this.clock.swept();
    this.sweepIdle();
  }

  private sweepIdle(): void {
    const nowUs = this.clock.nowUs;
    this.closedFlows.expire(nowUs);
    for (let conn = this.flows.oldest(); conn !== undefined; conn = this.flows.oldest()) {
      if (nowUs - conn.lastUs <= this.idleUs) break;
      this.closeFlow(conn, 'idle_timeout', nowUs);
    }
  }

  /** Close every open connection, e.g. at the end of a capture ('capture_ended'). */
  closeAll(reason: CloseReason, tsUs: number): void {
    for (let conn = this.flows.oldest(); conn !== undefined; conn = this.flows.oldest()) {
      this.closeFlow(conn, reason, tsUs);
    }
  }

  /**
   * Opens a connection from a SYN, a SYN/ACK or a segment carrying data. Bare ACK/FIN/RST segments
   * open nothing: they are usually the tail of a connection already closed.
   */
  private open(segment: TcpSegment, key: string): TcpConnection | undefined {
    const { flags } = segment;
    const syn = (flags & TCP_SYN) !== 0;
    if ((flags & TCP_RST) !== 0 || (!syn && segment.payload.length === 0)) {
      this.counters.inc(TCP_COUNTERS.segmentsNoFlow);
      return undefined;
    }
    const tuple = segment.vlan === undefined && segment.vni === undefined ? key : tupleKey(segment);
    if (this.closedFlows.holds(tuple, segment, this.clock.nowUs)) {
      this.counters.inc(TCP_COUNTERS.segmentsClosedFlow);
      return undefined;
    }
    while (this.flows.size >= this.config.maxFlows) {
      const oldest = this.flows.oldest();
      if (oldest === undefined) break;
      this.counters.inc(TCP_COUNTERS.flowsEvicted);
      this.closeFlow(oldest, 'flow_evicted', segment.tsUs);
    }
    // A SYN/ACK seen first was sent by the server: its receiver is the SYN sender `a`.
    const synAck = syn && (flags & TCP_ACK) !== 0;
    const src = { ip: segment.srcIp, port: segment.srcPort };
    const dst = { ip: segment.dstIp, port: segment.dstPort };
    const a = synAck ? dst : src;
    const b = synAck ? src : dst;
    const vlan = segment.vlan === undefined ? undefined : segment.vlan.slice();
    const startUs = segment.tsUs;
    const info: ConnectionInfo = {
      id: connectionId(startUs, a, b, vlan, segment.vni, segment.tunnel),
      a,
      b,
      ipVersion: segment.ipVersion,
      vlan,
      vni: segment.vni,
      tunnel: segment.tunnel,
      startUs,
      handshakeSeen: syn,
    };
    const conn = new TcpConnection(key, tuple, info, this.createConsumer(info), this.config, this.counters, this.retainBudget, this.bufferBudget);
    this.counters.inc(TCP_COUNTERS.flowsCreated);
    this.flows.add(conn, this.clock.nowUs);
    if (tuple !== key) this.tagged.set(tuple, conn);
    const dir = synAck ? 1 : 0;
    if (syn) conn.acceptSyn(dir, segment.seq);
    // The SYN/ACK acknowledges a's SYN, which tells a's initial sequence number.
    if (synAck) conn.acceptSyn(0, seqAdd(segment.ack, -1));
    conn.onSegment(segment, dir);
    return conn;
  }

  private closeFlow(conn: TcpConnection, reason: CloseReason, tsUs: number): void {
    this.removeFlow(conn);
    conn.close(reason, tsUs);
  }
}

/** Tag lists handed out by the decoder are never mutated, and mostly shared for equal tags. */
function sameVlans(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
