// The TCP header (RFC 9293): ports, sequence numbers, flags and where the payload starts.
import { SKIP_BAD_HEADER, SKIP_TRUNCATED } from './decodeCounters';
import type { TcpSegment } from './tcpSegment';

/**
 * Fills the port, sequence and flag fields of `segment` from the header at `off`; returns the
 * payload offset, or a negative skip code. The payload runs to the IP payload end.
 */
export function parseTcpHeader(buf: Buffer, off: number, end: number, segment: TcpSegment): number {
  if (end - off < 20) return SKIP_TRUNCATED;
  const headerLen = (buf[off + 12]! >> 4) << 2;
  if (headerLen < 20) return SKIP_BAD_HEADER;
  if (end - off < headerLen) return SKIP_TRUNCATED;
  segment.srcPort = buf.readUInt16BE(off);
  segment.dstPort = buf.readUInt16BE(off + 2);
  // Unsigned reads: sequence arithmetic downstream works modulo 2^32 on non-negative numbers.
  segment.seq = buf.readUInt32BE(off + 4);
  segment.ack = buf.readUInt32BE(off + 8);
  segment.flags = buf[off + 13]!;
  return off + headerLen;
}
