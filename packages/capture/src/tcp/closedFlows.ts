// Connections that ended by FIN or RST, remembered for a few seconds of capture time by their
// endpoints and where their sequence numbers stood. A data segment still in flight at the close
// (the rest of a response the client reset) or a late SPAN copy of one is then known as theirs,
// instead of opening a connection of its own that parses those bytes a second time.
import type { Counters } from '@sidetap/core';
import type { TcpSegment } from '../decode/tcpSegment';
import { sitsAt } from './sequenceSpace';
import type { StreamPosition } from './sequenceSpace';
import type { Endpoint } from './streamConsumer';
import { TCP_COUNTERS } from './tcpCounters';

/** Capture time a closed connection is remembered: past its retransmissions and late copies. */
export const CLOSED_FLOW_MEMORY_US = 10_000_000;

interface ClosedFlow {
  closedUs: number;
  /** The connection's endpoint `a`, which tells the direction of a segment. */
  a: Endpoint;
  positions: [StreamPosition, StreamPosition];
  isns: [number | undefined, number | undefined];
}

/** What is remembered of a connection that closed. */
export interface ClosingConnection {
  readonly tuple: string;
  readonly info: { readonly a: Endpoint; readonly vni: number | undefined };
  readonly positions: readonly [StreamPosition, StreamPosition];
  isnOf(dir: 0 | 1): number | undefined;
}

export class ClosedFlows {
  /** By endpoints and VNI (not VLAN: a late copy may come retagged), oldest close first. */
  private readonly byTuple = new Map<string, ClosedFlow>();

  constructor(
    private readonly maxEntries: number,
    private readonly counters: Counters,
  ) {}

  get size(): number {
    return this.byTuple.size;
  }

  /** Remembers a connection that closed at `nowUs`; beyond maxEntries the oldest is forgotten, counted. */
  add(conn: ClosingConnection, nowUs: number): void {
    const [p0, p1] = conn.positions;
    const key = closedKey(conn.tuple, conn.info.vni);
    this.byTuple.delete(key);
    this.byTuple.set(key, {
      closedUs: nowUs,
      a: conn.info.a,
      positions: [{ started: p0.started, nextSeq: p0.nextSeq }, { started: p1.started, nextSeq: p1.nextSeq }],
      isns: [conn.isnOf(0), conn.isnOf(1)],
    });
    if (this.byTuple.size > this.maxEntries) {
      for (const oldest of this.byTuple.keys()) {
        this.byTuple.delete(oldest);
        this.counters.inc(TCP_COUNTERS.closedFlowsForgotten);
        break;
      }
    }
  }

  /** True when `segment` sits where a connection on its endpoints and in its VNI stood when it closed lately. */
  holds(tuple: string, segment: TcpSegment, nowUs: number): boolean {
    const key = closedKey(tuple, segment.vni);
    const flow = this.byTuple.get(key);
    if (flow === undefined) return false;
    if (nowUs - flow.closedUs > CLOSED_FLOW_MEMORY_US) {
      this.byTuple.delete(key);
      return false;
    }
    const [p0, p1] = flow.positions;
    const fromA = segment.srcPort === flow.a.port && segment.srcIp === flow.a.ip;
    return fromA ? sitsAt(segment, p0, p1, flow.isns[0]) : sitsAt(segment, p1, p0, flow.isns[1]);
  }

  /** Forgets connections closed longer than CLOSED_FLOW_MEMORY_US before `nowUs`. */
  expire(nowUs: number): void {
    for (const [tuple, flow] of this.byTuple) {
      if (nowUs - flow.closedUs <= CLOSED_FLOW_MEMORY_US) break;
      this.byTuple.delete(tuple);
    }
  }
}

/** Another VNI is another virtual network (tenants reuse addresses): its endpoints are another connection's. */
function closedKey(tuple: string, vni: number | undefined): string {
  return vni === undefined ? tuple : `${tuple}#${vni}`;
}
