// The counters the packet decoder moves and the skip codes its layers return. Layers return a
// negative skip code instead of throwing, so a hostile packet costs one branch, not an exception.

export const DECODED = 'capture_packets_decoded_total';
export const SNAPPED = 'capture_packets_snapped_total';
export const FRAGMENTS_RECEIVED = 'capture_ip_fragments_received_total';
export const DATAGRAMS_REASSEMBLED = 'capture_ip_datagrams_reassembled_total';
export const FRAGMENT_OVERLAPS = 'capture_ip_fragment_overlaps_total';
export const FRAGMENTS_DROPPED_TIMEOUT = 'capture_ip_fragments_dropped_total{reason="timeout"}';
export const FRAGMENTS_DROPPED_LIMIT = 'capture_ip_fragments_dropped_total{reason="limit"}';
export const FRAGMENTS_DROPPED_TOO_LARGE = 'capture_ip_fragments_dropped_total{reason="too_large"}';
export const FRAGMENTS_DROPPED_MALFORMED = 'capture_ip_fragments_dropped_total{reason="malformed"}';
export const TUNNEL_VXLAN = 'capture_tunnel_packets_total{kind="vxlan"}';
export const TUNNEL_GENEVE = 'capture_tunnel_packets_total{kind="geneve"}';
export const TUNNEL_GRE = 'capture_tunnel_packets_total{kind="gre"}';
/** ERSPAN rides in GRE but counts as erspan only: the kind is the encapsulation as a whole. */
export const TUNNEL_ERSPAN = 'capture_tunnel_packets_total{kind="erspan"}';
export const TUNNEL_IPIP = 'capture_tunnel_packets_total{kind="ipip"}';
export const TUNNEL_MPLS = 'capture_tunnel_packets_total{kind="mpls"}';
export const TUNNEL_PPPOE = 'capture_tunnel_packets_total{kind="pppoe"}';

/** The packet was decoded and its segment handed on. */
export const DONE = 0;
/** The packet was a fragment kept for reassembly; nothing to hand on yet. */
export const HELD = 1;
export const SKIP_TRUNCATED = -1;
export const SKIP_BAD_HEADER = -2;
export const SKIP_NON_IP = -3;
export const SKIP_NON_TCP = -4;
export const SKIP_UDP = -5;
export const SKIP_UNKNOWN_LINKTYPE = -6;
export const SKIP_TUNNEL_TOO_DEEP = -7;

const SKIP_NAMES = ['', 'truncated', 'bad_header', 'non_ip', 'non_tcp', 'udp', 'unknown_linktype', 'tunnel_too_deep'];

/** Counter name for a skip code, indexed by the code's magnitude. */
export const SKIPPED: readonly string[] = SKIP_NAMES.map((reason) => `capture_packets_skipped_total{reason="${reason}"}`);
