// The EtherTypes the decoder dispatches on. GRE and GENEVE name their payload with them too, so
// the values live apart from any one layer.
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
/** Transparent Ethernet bridging: the payload is an Ethernet frame. */
export const ETHERTYPE_TRANSPARENT_ETHERNET = 0x6558;
export const ETHERTYPE_MPLS_UNICAST = 0x8847;
export const ETHERTYPE_MPLS_MULTICAST = 0x8848;
export const ETHERTYPE_PPPOE_SESSION = 0x8864;
/** ERSPAN type I (no header) and type II, behind GRE. */
export const ETHERTYPE_ERSPAN_II = 0x88be;
export const ETHERTYPE_ERSPAN_III = 0x22eb;
