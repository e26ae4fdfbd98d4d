// Link-layer headers in front of the network layer, reduced to (EtherType, offset) so every link
// type continues through the same EtherType dispatch (VLAN tags, IPv4, IPv6, MPLS, PPPoE).
import { SKIP_NON_IP, SKIP_TRUNCATED, SKIP_UNKNOWN_LINKTYPE } from './decodeCounters';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_PPPOE_SESSION } from './etherTypes';
import { parsePppFrame } from './ppp';

// Private on purpose: the decoder does not depend on the readers' own linktype table.
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_PPP = 9;
/** DLT_RAW as some systems write it into files (12 on most BSDs, 14 on OpenBSD). */
export const LINKTYPE_RAW_12 = 12;
export const LINKTYPE_RAW_14 = 14;
/** A PPPoE session header without the Ethernet header in front (RFC 2516). */
export const LINKTYPE_PPP_ETHER = 51;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

export interface LinkLayerOut {
  /** EtherType of what follows (VLAN tag types included); values below 0x0600 are 802.3 lengths. */
  etherType: number;
}

/** Returns the offset of the link payload with out.etherType set, or a negative skip code. */
export function parseLinkLayer(linktype: number, buf: Buffer, off: number, end: number, out: LinkLayerOut): number {
  switch (linktype) {
    case LINKTYPE_ETHERNET:
      if (end - off < 14) return SKIP_TRUNCATED;
      out.etherType = buf.readUInt16BE(off + 12);
      return off + 14;
    case LINKTYPE_LINUX_SLL:
      if (end - off < 16) return SKIP_TRUNCATED;
      out.etherType = buf.readUInt16BE(off + 14);
      return off + 16;
    case LINKTYPE_LINUX_SLL2:
      if (end - off < 20) return SKIP_TRUNCATED;
      out.etherType = buf.readUInt16BE(off);
      return off + 20;
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_12:
    case LINKTYPE_RAW_14:
      return rawIp(buf, off, end, out);
    case LINKTYPE_IPV4:
      out.etherType = ETHERTYPE_IPV4;
      return off;
    case LINKTYPE_IPV6:
      out.etherType = ETHERTYPE_IPV6;
      return off;
    case LINKTYPE_NULL:
      if (end - off < 4) return SKIP_TRUNCATED;
      // Written in the capturing machine's byte order, which the file does not record.
      out.etherType = addressFamily(buf.readUInt32LE(off)) || addressFamily(buf.readUInt32BE(off));
      return out.etherType === 0 ? SKIP_NON_IP : off + 4;
    case LINKTYPE_PPP:
      return parsePppFrame(buf, off, end, out);
    case LINKTYPE_PPP_ETHER:
      out.etherType = ETHERTYPE_PPPOE_SESSION;
      return off;
    case LINKTYPE_LOOP:
      if (end - off < 4) return SKIP_TRUNCATED;
      out.etherType = addressFamily(buf.readUInt32BE(off));
      return out.etherType === 0 ? SKIP_NON_IP : off + 4;
    default:
      return SKIP_UNKNOWN_LINKTYPE;
  }
}

function rawIp(buf: Buffer, off: number, end: number, out: LinkLayerOut): number {
  if (end - off < 1) return SKIP_TRUNCATED;
  const version = buf[off]! >> 4;
  if (version === 4) out.etherType = ETHERTYPE_IPV4;
  else if (version === 6) out.etherType = ETHERTYPE_IPV6;
  else return SKIP_NON_IP;
  return off;
}

/** BSD address family to EtherType; IPv6 has a different AF_INET6 on each BSD (and macOS). */
function addressFamily(family: number): number {
  if (family === 2) return ETHERTYPE_IPV4;
  if (family === 24 || family === 28 || family === 30) return ETHERTYPE_IPV6;
  return 0;
}
