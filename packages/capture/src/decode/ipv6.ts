// The IPv6 header and its extension header chain (RFC 8200), walked up to the upper-layer
// protocol or to a fragment header.
import { SKIP_BAD_HEADER, SKIP_TRUNCATED } from './decodeCounters';

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AUTH = 51;
const DEST_OPTIONS = 60;
const MOBILITY = 135;
const HIP = 139;
const SHIM6 = 140;
/** More extension headers than this is not a real packet; the walk stops as bad_header. */
const MAX_EXTENSION_HEADERS = 32;

export interface Ipv6Out {
  /** Upper-layer protocol (6, 17, 50, 59, ...), or the next header of the fragmentable part. */
  protocol: number;
  payloadEnd: number;
  snapped: boolean;
  /** Bytes the payload length promised past the captured ones. */
  missing: number;
  /** Payload length 0: only the frame says how long the datagram is (jumbogram, segmentation offload). */
  sizedByFrame: boolean;
  /** A fragment header with a non-zero offset or more-fragments bit was met. */
  fragment: boolean;
  id: number;
  fragOffset: number;
  moreFragments: boolean;
}

/** Parses the fixed header and walks the chain; returns the upper-layer offset or a skip code. */
export function parseIpv6(buf: Buffer, off: number, end: number, out: Ipv6Out): number {
  if (end - off < 40) return SKIP_TRUNCATED;
  if (buf[off]! >> 4 !== 6) return SKIP_BAD_HEADER;
  const payloadLen = buf.readUInt16BE(off + 4);
  if (payloadLen === 0) {
    // Jumbogram (RFC 2675) or a segmentation-offload capture: the captured bytes are all there is.
    out.payloadEnd = end;
    out.snapped = false;
    out.missing = 0;
    out.sizedByFrame = true;
  } else {
    const declaredEnd = off + 40 + payloadLen;
    out.snapped = declaredEnd > end;
    out.payloadEnd = out.snapped ? end : declaredEnd;
    out.missing = out.snapped ? declaredEnd - end : 0;
    out.sizedByFrame = false;
  }
  out.fragment = false;
  return walkIpv6Extensions(buf[off + 6]!, buf, off + 40, out.payloadEnd, out, true);
}

/**
 * Walks extension headers from `nextHeader` at `pos`. A fragment header is only accepted when
 * `allowFragment` (not inside an already reassembled datagram).
 */
export function walkIpv6Extensions(nextHeader: number, buf: Buffer, pos: number, end: number, out: Ipv6Out, allowFragment: boolean): number {
  let nh = nextHeader;
  for (let i = 0; i < MAX_EXTENSION_HEADERS; i++) {
    switch (nh) {
      case HOP_BY_HOP:
      case ROUTING:
      case DEST_OPTIONS:
      case MOBILITY:
      case HIP:
      case SHIM6:
        if (end - pos < 8) return SKIP_TRUNCATED;
        nh = buf[pos]!;
        pos += (buf[pos + 1]! + 1) << 3;
        break;
      case AUTH:
        if (end - pos < 8) return SKIP_TRUNCATED;
        nh = buf[pos]!;
        pos += (buf[pos + 1]! + 2) << 2;
        break;
      case FRAGMENT: {
        if (end - pos < 8) return SKIP_TRUNCATED;
        if (!allowFragment) return SKIP_BAD_HEADER;
        nh = buf[pos]!;
        const field = buf.readUInt16BE(pos + 2);
        const fragOffset = field & 0xfff8;
        const more = (field & 1) !== 0;
        const id = buf.readUInt32BE(pos + 4);
        pos += 8;
        // An atomic fragment (offset 0, no more fragments, RFC 6946) is a whole datagram.
        if (fragOffset === 0 && !more) break;
        out.fragment = true;
        out.fragOffset = fragOffset;
        out.moreFragments = more;
        out.id = id;
        out.protocol = nh;
        return pos;
      }
      default:
        // TCP, UDP, ESP (50), no next header (59) or anything else: the caller decides.
        out.protocol = nh;
        return pos;
    }
    if (pos > end) return SKIP_TRUNCATED;
  }
  return SKIP_BAD_HEADER;
}
