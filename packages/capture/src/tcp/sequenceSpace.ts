// Whether a segment sits where a connection's sequence numbers stand. Initial sequence numbers are
// random (RFC 9293 §3.4.1, RFC 6528), so a segment near both directions' positions is that
// connection's own traffic (a copy seen under other VLAN tags, a segment still in flight at the
// close), while another connection on the same endpoints almost never lands there.
import { TCP_ACK, TCP_SYN } from '../decode/tcpSegment';
import type { TcpSegment } from '../decode/tcpSegment';
import { seqDiff } from './seq';

/** How far from where a direction stands a segment may sit and still be taken as that direction's. */
export const SAME_FLOW_WINDOW = 1 << 22;

/** Where one direction stands: the next sequence number, once known. */
export interface StreamPosition {
  readonly started: boolean;
  readonly nextSeq: number;
}

/**
 * True when `segment`'s sequence number is near its own direction's position and its
 * acknowledgement (if any) near the other's; false when either is far or neither is known. A SYN
 * must carry the very initial sequence number `ownIsn`: a quick reuse of the endpoints gets one
 * close to the old connection's numbers (RFC 6528 adds a clock to it), yet never that one.
 */
export function sitsAt(segment: TcpSegment, own: StreamPosition, peer: StreamPosition, ownIsn: number | undefined): boolean {
  if ((segment.flags & TCP_SYN) !== 0 && segment.seq !== ownIsn) return false;
  let known = false;
  if (own.started) {
    if (Math.abs(seqDiff(segment.seq, own.nextSeq)) > SAME_FLOW_WINDOW) return false;
    known = true;
  }
  if ((segment.flags & TCP_ACK) !== 0 && peer.started) {
    if (Math.abs(seqDiff(segment.ack, peer.nextSeq)) > SAME_FLOW_WINDOW) return false;
    known = true;
  }
  return known;
}
