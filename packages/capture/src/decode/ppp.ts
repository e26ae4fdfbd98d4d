// PPP framing as captures carry it: PPPoE sessions (RFC 2516) from broadband access links, and
// bare PPP (RFC 1661/1662). Both reduce to an EtherType for the common dispatch; PPP protocols
// other than IP and MPLS (LCP, IPCP, ...) become EtherType 0, which that dispatch skips as non_ip.
import { SKIP_BAD_HEADER, SKIP_TRUNCATED } from './decodeCounters';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_MPLS_MULTICAST, ETHERTYPE_MPLS_UNICAST } from './etherTypes';

const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
const PPP_MPLS_UNICAST = 0x0281;
const PPP_MPLS_MULTICAST = 0x0283;

export interface PppOut {
  /** EtherType of the PPP payload, 0 when it is not one the decoder follows. */
  etherType: number;
  /** End of the PPPoE payload: its length field, bounded by the captured bytes. */
  payloadEnd: number;
}

/** Parses a PPPoE session header and its PPP protocol; returns the payload offset or a skip code. */
export function parsePppoeSession(buf: Buffer, off: number, end: number, out: PppOut): number {
  if (end - off < 6) return SKIP_TRUNCATED;
  // Version 1, type 1, code 0: the only session-stage header RFC 2516 defines.
  if (buf[off] !== 0x11 || buf[off + 1] !== 0) return SKIP_BAD_HEADER;
  out.payloadEnd = Math.min(off + 6 + buf.readUInt16BE(off + 4), end);
  return parsePppProtocol(buf, off + 6, out.payloadEnd, out);
}

/**
 * Parses the PPP protocol field at `off`, one byte when protocol-field compression is on (an odd
 * first byte, RFC 1661 §6.5); returns the payload offset or a skip code.
 */
export function parsePppProtocol(buf: Buffer, off: number, end: number, out: { etherType: number }): number {
  if (end - off < 1) return SKIP_TRUNCATED;
  let protocol = buf[off]!;
  let pos = off + 1;
  if ((protocol & 0x01) === 0) {
    if (end - off < 2) return SKIP_TRUNCATED;
    protocol = buf.readUInt16BE(off);
    pos = off + 2;
  }
  out.etherType = pppEtherType(protocol);
  return pos;
}

/** LINKTYPE_PPP: HDLC-like framing (address 0xff, control 0x03, RFC 1662) when present, then PPP. */
export function parsePppFrame(buf: Buffer, off: number, end: number, out: { etherType: number }): number {
  // Nothing can follow a one-byte frame, whichever way it is read.
  if (end - off < 2) return SKIP_TRUNCATED;
  if (buf[off] === 0xff && buf[off + 1] === 0x03) off += 2;
  return parsePppProtocol(buf, off, end, out);
}

function pppEtherType(protocol: number): number {
  switch (protocol) {
    case PPP_IPV4:
      return ETHERTYPE_IPV4;
    case PPP_IPV6:
      return ETHERTYPE_IPV6;
    case PPP_MPLS_UNICAST:
      return ETHERTYPE_MPLS_UNICAST;
    case PPP_MPLS_MULTICAST:
      return ETHERTYPE_MPLS_MULTICAST;
    default:
      return 0;
  }
}
