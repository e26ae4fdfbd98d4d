// Names of the counters TCP reassembly moves, written once so call sites never build strings.
import type { CloseReason } from './streamConsumer';

export const TCP_COUNTERS = {
  segments: 'capture_tcp_segments_total',
  /** Segments without payload or SYN for a connection not in the table (late ACK/FIN/RST of a closed one). */
  segmentsNoFlow: 'capture_tcp_segments_ignored_total{reason="no_flow"}',
  /** Data exactly 2^31 from where its stream stands: neither ahead nor behind, so never part of it. */
  segmentsOutOfWindow: 'capture_tcp_segments_ignored_total{reason="out_of_window"}',
  /** Data segments of a connection that ended lately by FIN or RST: in flight at the close, or a late copy. */
  segmentsClosedFlow: 'capture_tcp_segments_ignored_total{reason="closed_flow"}',
  /** Segments seen again under other VLAN tags or another VNI (SPAN, mirroring at both ends), merged into the connection seen first. */
  copiesMerged: 'capture_tcp_copies_merged_total',
  /**
   * Closed connections forgotten early because maxFlows of them were remembered: a late segment of
   * one may then open a midstream connection that parses its bytes a second time.
   */
  closedFlowsForgotten: 'capture_tcp_closed_flows_forgotten_total',
  flowsCreated: 'capture_flows_created_total',
  flowsEvicted: 'capture_flows_evicted_total',
  /** A SYN with a new initial sequence number replaced a connection on the same endpoints (port reuse). */
  flowsReused: 'capture_flows_reused_total',
  retransmittedBytes: 'capture_tcp_retransmitted_bytes_total',
  outOfOrder: 'capture_tcp_out_of_order_total',
  gaps: 'capture_tcp_gaps_total',
  gapBytes: 'capture_tcp_gap_bytes_total',
  overlapConflicts: 'capture_tcp_overlap_conflicts_total',
  bufferOverflows: 'capture_tcp_buffer_overflows_total',
  /** Holes declared gaps because out-of-order data across all connections reached tcpBufferedTotalBytes. */
  budgetGaps: 'capture_tcp_budget_gaps_total',
  /** Delivered bytes not kept for retransmission checks: the per-direction cap or the global budget was reached. */
  retainSkippedBytes: 'capture_tcp_retain_skipped_bytes_total',
} as const;

export const FLOWS_CLOSED_COUNTER: Readonly<Record<CloseReason, string>> = {
  fin: 'capture_flows_closed_total{reason="fin"}',
  rst: 'capture_flows_closed_total{reason="rst"}',
  idle_timeout: 'capture_flows_closed_total{reason="idle_timeout"}',
  flow_evicted: 'capture_flows_closed_total{reason="flow_evicted"}',
  capture_ended: 'capture_flows_closed_total{reason="capture_ended"}',
};
