// UDP and the two UDP tunnels cloud traffic mirroring uses: VXLAN (RFC 7348) and GENEVE (RFC 8926).
import { SKIP_BAD_HEADER, SKIP_NON_IP, SKIP_TRUNCATED } from './decodeCounters';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_TRANSPARENT_ETHERNET } from './etherTypes';

export const TUNNEL_NONE = 0;
export const TUNNEL_VXLAN = 1;
export const TUNNEL_GENEVE = 2;

/** Tunnel kind per UDP destination port, so the per-packet lookup is one array read. */
export function tunnelPortTable(vxlanPorts: readonly number[], genevePorts: readonly number[]): Uint8Array {
  const table = new Uint8Array(65536);
  for (const port of genevePorts) table[port] = TUNNEL_GENEVE;
  for (const port of vxlanPorts) table[port] = TUNNEL_VXLAN;
  return table;
}

export interface UdpOut {
  dstPort: number;
  /** End of the UDP payload: the UDP length, bounded by the IP payload end. */
  payloadEnd: number;
}

/** Returns the UDP payload offset, or a negative skip code. */
export function parseUdp(buf: Buffer, off: number, end: number, out: UdpOut): number {
  if (end - off < 8) return SKIP_TRUNCATED;
  out.dstPort = buf.readUInt16BE(off + 2);
  const length = buf.readUInt16BE(off + 4);
  // Length 0 is an IPv6 jumbogram (RFC 2675): the IP payload end bounds it.
  if (length === 0) out.payloadEnd = end;
  else if (length < 8) return SKIP_BAD_HEADER;
  else out.payloadEnd = Math.min(off + length, end);
  return off + 8;
}

export interface TunnelOut {
  vni: number;
  /** EtherType of the inner payload: always Ethernet for VXLAN; Ethernet, IPv4 or IPv6 for GENEVE. */
  innerType: number;
}

/** Returns the inner frame offset, or a negative skip code. */
export function parseVxlan(buf: Buffer, off: number, end: number, out: TunnelOut): number {
  if (end - off < 8) return SKIP_TRUNCATED;
  // Without the I flag the VNI is not valid and receivers drop the packet (RFC 7348 §5).
  if ((buf[off]! & 0x08) === 0) return SKIP_BAD_HEADER;
  out.vni = (buf[off + 4]! << 16) | (buf[off + 5]! << 8) | buf[off + 6]!;
  out.innerType = ETHERTYPE_TRANSPARENT_ETHERNET;
  return off + 8;
}

/** Returns the inner payload offset (after any options), or a negative skip code. */
export function parseGeneve(buf: Buffer, off: number, end: number, out: TunnelOut): number {
  if (end - off < 8) return SKIP_TRUNCATED;
  const b0 = buf[off]!;
  if (b0 >> 6 !== 0) return SKIP_BAD_HEADER;
  const inner = off + 8 + ((b0 & 0x3f) << 2);
  if (inner > end) return SKIP_TRUNCATED;
  const protocol = buf.readUInt16BE(off + 2);
  if (protocol !== ETHERTYPE_TRANSPARENT_ETHERNET && protocol !== ETHERTYPE_IPV4 && protocol !== ETHERTYPE_IPV6) return SKIP_NON_IP;
  out.innerType = protocol;
  out.vni = (buf[off + 4]! << 16) | (buf[off + 5]! << 8) | buf[off + 6]!;
  return inner;
}
