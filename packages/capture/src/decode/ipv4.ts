// The IPv4 header (RFC 791). Checksums are not verified: captures taken on the sending host
// carry offloaded, not-yet-computed checksums.
import { SKIP_BAD_HEADER, SKIP_TRUNCATED } from './decodeCounters';

export interface Ipv4Out {
  protocol: number;
  /** End of the IP payload: the smaller of the total length and the captured bytes. */
  payloadEnd: number;
  /** The total length promised more bytes than were captured (snap length). */
  snapped: boolean;
  /** Bytes the total length promised past the captured ones. */
  missing: number;
  /** Total length 0: only the frame says how long the datagram is (segmentation offload). */
  sizedByFrame: boolean;
  id: number;
  /** Fragment offset in bytes. */
  fragOffset: number;
  moreFragments: boolean;
}

/** Parses the header at `off`; returns the payload offset, or a negative skip code. */
export function parseIpv4(buf: Buffer, off: number, end: number, out: Ipv4Out): number {
  if (end - off < 20) return SKIP_TRUNCATED;
  const b0 = buf[off]!;
  if (b0 >> 4 !== 4) return SKIP_BAD_HEADER;
  const headerLen = (b0 & 0x0f) << 2;
  if (headerLen < 20) return SKIP_BAD_HEADER;
  if (end - off < headerLen) return SKIP_TRUNCATED;
  const totalLen = buf.readUInt16BE(off + 2);
  if (totalLen === 0) {
    // Large segments captured before TCP segmentation offload carry total length 0.
    out.payloadEnd = end;
    out.snapped = false;
    out.missing = 0;
    out.sizedByFrame = true;
  } else if (totalLen < headerLen) {
    return SKIP_BAD_HEADER;
  } else {
    const declaredEnd = off + totalLen;
    out.snapped = declaredEnd > end;
    out.payloadEnd = out.snapped ? end : declaredEnd;
    out.missing = out.snapped ? declaredEnd - end : 0;
    out.sizedByFrame = false;
  }
  out.id = buf.readUInt16BE(off + 4);
  const fragField = buf.readUInt16BE(off + 6);
  out.moreFragments = (fragField & 0x2000) !== 0;
  out.fragOffset = (fragField & 0x1fff) << 3;
  out.protocol = buf[off + 9]!;
  return off + headerLen;
}
