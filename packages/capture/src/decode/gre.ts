// GRE (RFC 2784 with the key and sequence number words of RFC 2890) and the ERSPAN headers Cisco
// and virtual switches put behind it for remote SPAN (draft-foschiano-erspan-03).
import { SKIP_BAD_HEADER, SKIP_TRUNCATED } from './decodeCounters';
import { ETHERTYPE_ERSPAN_II } from './etherTypes';

const FLAG_CHECKSUM = 0x80;
/** RFC 1701 routing; RFC 2784 receivers drop it, as Linux does. */
const FLAG_ROUTING = 0x40;
const FLAG_KEY = 0x20;
const FLAG_SEQUENCE = 0x10;

export interface GreOut {
  /** EtherType of the payload. */
  protocol: number;
  /** The key word (RFC 2890), 0 when absent: it tells tunnels between the same endpoints apart. */
  key: number;
  /** A sequence number word was present: what sets ERSPAN type II apart from type I. */
  sequenced: boolean;
}

/** Parses the GRE header at `off`; returns the payload offset, or a negative skip code. */
export function parseGre(buf: Buffer, off: number, end: number, out: GreOut): number {
  if (end - off < 4) return SKIP_TRUNCATED;
  const flags = buf[off]!;
  // Version 1 is PPTP's enhanced GRE, which carries PPP, not mirrored traffic.
  if ((buf[off + 1]! & 0x07) !== 0 || (flags & FLAG_ROUTING) !== 0) return SKIP_BAD_HEADER;
  let pos = off + 4;
  // The checksum is not verified, for the same reason IP checksums are not (offload).
  if ((flags & FLAG_CHECKSUM) !== 0) pos += 4;
  out.key = 0;
  if ((flags & FLAG_KEY) !== 0) {
    if (end - pos < 4) return SKIP_TRUNCATED;
    out.key = buf.readUInt32BE(pos);
    pos += 4;
  }
  out.sequenced = (flags & FLAG_SEQUENCE) !== 0;
  if (out.sequenced) pos += 4;
  if (pos > end) return SKIP_TRUNCATED;
  out.protocol = buf.readUInt16BE(off + 2);
  return pos;
}

export interface ErspanOut {
  /** The 10-bit session id; 0 for type I, which has no header. */
  sessionId: number;
}

/**
 * Parses the ERSPAN header at `off` for GRE protocol `protocol`; returns the offset of the
 * mirrored Ethernet frame, or a negative skip code. Like Linux and Wireshark, the header's own
 * version field decides its layout (1 = type II, 2 = type III) under either protocol value.
 */
export function parseErspan(protocol: number, sequenced: boolean, buf: Buffer, off: number, end: number, out: ErspanOut): number {
  // Type I is bare GRE (no sequence number) in front of the frame.
  if (protocol === ETHERTYPE_ERSPAN_II && !sequenced) {
    out.sessionId = 0;
    return off;
  }
  if (end - off < 8) return SKIP_TRUNCATED;
  const version = buf[off]! >> 4;
  out.sessionId = buf.readUInt16BE(off + 2) & 0x03ff;
  if (version === 1) return off + 8;
  if (version !== 2) return SKIP_BAD_HEADER;
  if (end - off < 12) return SKIP_TRUNCATED;
  // The O bit announces an 8-byte platform-specific subheader.
  const frame = off + ((buf[off + 11]! & 0x01) !== 0 ? 20 : 12);
  return frame > end ? SKIP_TRUNCATED : frame;
}
