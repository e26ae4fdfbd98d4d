// MPLS label stacks (RFC 3032). The stack does not say what it carries, so the payload is
// guessed from its first bytes, as routers' fast paths and Wireshark do.
import { SKIP_TRUNCATED } from './decodeCounters';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_TRANSPARENT_ETHERNET } from './etherTypes';
import { isVlanEtherType } from './vlanTags';

export interface MplsOut {
  /** IPv4, IPv6, transparent Ethernet (a pseudowire, RFC 4448), or 0 when the guess fails. */
  innerType: number;
  /** The bottom-of-stack label: for a pseudowire, the one naming it. */
  label: number;
}

/** Walks the label stack at `off`; returns the payload offset, or a negative skip code. */
export function parseMpls(buf: Buffer, off: number, end: number, out: MplsOut): number {
  let pos = off;
  // Each label is 4 bytes, so the captured length bounds the walk.
  for (;;) {
    if (end - pos < 4) return SKIP_TRUNCATED;
    const bottom = (buf[pos + 2]! & 0x01) !== 0;
    out.label = buf.readUInt32BE(pos) >>> 12;
    pos += 4;
    if (bottom) break;
  }
  if (pos >= end) return SKIP_TRUNCATED;
  const nibble = buf[pos]! >> 4;
  if (nibble === 4) out.innerType = ETHERTYPE_IPV4;
  else if (nibble === 6) out.innerType = ETHERTYPE_IPV6;
  // Too short to tell a pseudowire's frame from anything else, and too short to carry IP.
  else if (end - pos < PW_CONTROL_WORD + ETHERNET_HEADER) return SKIP_TRUNCATED;
  // An Ethernet pseudowire, without or behind the 0000 control word (RFC 4385): only taken when
  // the frame's EtherType looks like IP, since a bare destination MAC can start with anything.
  // Without comes first: a tagged frame without a control word, read as if it had one, shows its
  // real EtherType in the right place; a frame with one, read without, shows source MAC bytes.
  else if (looksLikeIpFrame(buf, pos)) out.innerType = ETHERTYPE_TRANSPARENT_ETHERNET;
  else if (nibble === 0 && looksLikeIpFrame(buf, pos + PW_CONTROL_WORD)) {
    out.innerType = ETHERTYPE_TRANSPARENT_ETHERNET;
    return pos + PW_CONTROL_WORD;
  } else out.innerType = 0;
  return pos;
}

const PW_CONTROL_WORD = 4;
const ETHERNET_HEADER = 14;

/** The caller has checked that the frame's Ethernet header was captured. */
function looksLikeIpFrame(buf: Buffer, frame: number): boolean {
  const etherType = buf.readUInt16BE(frame + 12);
  return etherType === ETHERTYPE_IPV4 || etherType === ETHERTYPE_IPV6 || isVlanEtherType(etherType);
}
