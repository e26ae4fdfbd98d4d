// One captured packet in, zero or one TCP segment out: link layer, VLAN tags, IPv4/IPv6 with
// fragment reassembly, VXLAN/GENEVE decapsulation, TCP header. Every outcome moves one counter.
import type { Counters } from '@sidetap/core';
import type { CaptureConfig } from '../captureConfig';
import type { PacketView } from '../sources/packetView';
import {
  DECODED,
  DONE,
  HELD,
  SKIPPED,
  SKIP_NON_IP,
  SKIP_NON_TCP,
  SKIP_TRUNCATED,
  SKIP_TUNNEL_TOO_DEEP,
  SKIP_UDP,
  SNAPPED,
  TUNNEL_GENEVE as TUNNEL_GENEVE_COUNTER,
  TUNNEL_VXLAN as TUNNEL_VXLAN_COUNTER,
} from './decodeCounters';
import { IpAddressText } from './ipAddressText';
import { IpFragmentReassembler } from './ipFragmentReassembler';
import { parseIpv4, type Ipv4Out } from './ipv4';
import { parseIpv6, walkIpv6Extensions, type Ipv6Out } from './ipv6';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, LINKTYPE_ETHERNET, parseLinkLayer, type LinkLayerOut } from './linkLayer';
import { parseTcpHeader } from './tcpHeader';
import type { SegmentHandler, TcpSegment } from './tcpSegment';
import {
  ETHERTYPE_TRANSPARENT_ETHERNET,
  TUNNEL_NONE,
  TUNNEL_VXLAN,
  parseGeneve,
  parseUdp,
  parseVxlan,
  tunnelPortTable,
  type TunnelOut,
  type UdpOut,
} from './tunnels';
import { VlanTags, isVlanEtherType } from './vlanTags';

const PROTO_TCP = 6;
const PROTO_UDP = 17;

export class PacketDecoder {
  private readonly segment: TcpSegment = {
    tsUs: 0,
    ipVersion: 4,
    srcIp: '',
    dstIp: '',
    srcPort: 0,
    dstPort: 0,
    seq: 0,
    ack: 0,
    flags: 0,
    payload: Buffer.alloc(0),
    vlan: undefined,
    vni: undefined,
    tunnel: undefined,
  };
  private readonly link: LinkLayerOut = { etherType: 0 };
  private readonly v4: Ipv4Out = { protocol: 0, payloadEnd: 0, snapped: false, id: 0, fragOffset: 0, moreFragments: false };
  private readonly v6: Ipv6Out = { protocol: 0, payloadEnd: 0, snapped: false, fragment: false, id: 0, fragOffset: 0, moreFragments: false };
  private readonly udp: UdpOut = { dstPort: 0, payloadEnd: 0 };
  private readonly tunnel: TunnelOut = { vni: 0, innerType: 0 };
  private readonly vlans = new VlanTags();
  private readonly addresses = new IpAddressText();
  private readonly fragments: IpFragmentReassembler;
  private readonly tunnelPorts: Uint8Array;
  private readonly maxTunnelDepth: number;

  // The packet being decoded. The address fields are those of the innermost IP header so far;
  // the addresses stay in the packet bytes even when the payload comes from reassembly.
  private tsUs = 0;
  private tunnelDepth = 0;
  private ipVersion: 4 | 6 = 4;
  private addrBuf: Buffer = this.segment.payload;
  private srcOff = 0;
  private dstOff = 0;

  constructor(
    config: CaptureConfig,
    private readonly counters: Counters,
    private readonly onSegment: SegmentHandler,
  ) {
    this.fragments = new IpFragmentReassembler(config, counters);
    this.tunnelPorts = tunnelPortTable(config.vxlanPorts, config.genevePorts);
    this.maxTunnelDepth = config.maxTunnelDepth;
  }

  decode(packet: PacketView): void {
    const buf = packet.buf;
    const off = packet.offset;
    const end = Math.min(off + packet.caplen, buf.length);
    this.tsUs = packet.tsUs;
    this.tunnelDepth = 0;
    this.vlans.clear();
    this.segment.vni = undefined;
    this.segment.tunnel = undefined;
    let status = SKIP_TRUNCATED;
    if (off >= 0 && end >= off) {
      const next = parseLinkLayer(packet.linktype, buf, off, end, this.link);
      status = next < 0 ? next : this.decodeEtherType(this.link.etherType, buf, next, end);
    }
    if (status === DONE) this.counters.inc(DECODED);
    else if (status !== HELD) this.counters.inc(SKIPPED[-status]!);
  }

  /** Drop incomplete IP fragment sets older than the timeout, in capture time. */
  expire(nowUs: number): void {
    this.fragments.expire(nowUs);
  }

  private decodeEtherType(etherType: number, buf: Buffer, off: number, end: number): number {
    while (isVlanEtherType(etherType)) {
      if (end - off < 4) return SKIP_TRUNCATED;
      this.vlans.push(buf.readUInt16BE(off) & 0x0fff);
      etherType = buf.readUInt16BE(off + 2);
      off += 4;
    }
    if (etherType === ETHERTYPE_IPV4) return this.decodeIpv4(buf, off, end);
    if (etherType === ETHERTYPE_IPV6) return this.decodeIpv6(buf, off, end);
    // Anything else, 802.3 length fields (below 0x0600) included.
    return SKIP_NON_IP;
  }

  private decodeIpv4(buf: Buffer, off: number, end: number): number {
    const ip = this.v4;
    const pos = parseIpv4(buf, off, end, ip);
    if (pos < 0) return pos;
    this.setAddresses(4, buf, off + 12, off + 16);
    if (ip.snapped) this.counters.inc(SNAPPED);
    if (!ip.moreFragments && ip.fragOffset === 0) return this.decodeTransport(ip.protocol, buf, pos, ip.payloadEnd);
    // A fragment cut by the snap length could never complete its datagram.
    if (ip.snapped) return SKIP_TRUNCATED;
    const key = `4${this.contextKey()}${buf.toString('latin1', off + 12, off + 20)}${String.fromCharCode(ip.id, ip.protocol)}`;
    const data = this.fragments.add(key, this.tsUs, ip.fragOffset, ip.moreFragments, ip.protocol, buf, pos, ip.payloadEnd);
    if (data === undefined) return HELD;
    return this.decodeTransport(ip.protocol, data, 0, data.length);
  }

  private decodeIpv6(buf: Buffer, off: number, end: number): number {
    const ip = this.v6;
    const pos = parseIpv6(buf, off, end, ip);
    if (pos < 0) return pos;
    this.setAddresses(6, buf, off + 8, off + 24);
    if (ip.snapped) this.counters.inc(SNAPPED);
    if (!ip.fragment) return this.decodeTransport(ip.protocol, buf, pos, ip.payloadEnd);
    if (ip.snapped) return SKIP_TRUNCATED;
    const key = `6${this.contextKey()}${buf.toString('latin1', off + 8, off + 40)}${String.fromCharCode(ip.id >>> 16, ip.id & 0xffff)}`;
    const data = this.fragments.add(key, this.tsUs, ip.fragOffset, ip.moreFragments, ip.protocol, buf, pos, ip.payloadEnd);
    if (data === undefined) return HELD;
    // The fragmentable part may itself start with extension headers (RFC 8200 §4.5).
    const upper = walkIpv6Extensions(this.fragments.protocol, data, 0, data.length, ip, false);
    if (upper < 0) return upper;
    return this.decodeTransport(ip.protocol, data, upper, data.length);
  }

  private decodeTransport(protocol: number, buf: Buffer, pos: number, end: number): number {
    if (protocol === PROTO_TCP) return this.emitTcp(buf, pos, end);
    if (protocol === PROTO_UDP) return this.decodeUdp(buf, pos, end);
    return SKIP_NON_TCP;
  }

  private emitTcp(buf: Buffer, pos: number, end: number): number {
    const segment = this.segment;
    const payloadOff = parseTcpHeader(buf, pos, end, segment);
    if (payloadOff < 0) return payloadOff;
    segment.tsUs = this.tsUs;
    segment.ipVersion = this.ipVersion;
    if (this.ipVersion === 4) {
      segment.srcIp = this.addresses.ipv4(this.addrBuf, this.srcOff);
      segment.dstIp = this.addresses.ipv4(this.addrBuf, this.dstOff);
    } else {
      segment.srcIp = this.addresses.ipv6(this.addrBuf, this.srcOff);
      segment.dstIp = this.addresses.ipv6(this.addrBuf, this.dstOff);
    }
    segment.payload = buf.subarray(payloadOff, end);
    segment.vlan = this.vlans.list();
    this.onSegment(segment);
    return DONE;
  }

  private decodeUdp(buf: Buffer, pos: number, end: number): number {
    const udp = this.udp;
    const payload = parseUdp(buf, pos, end, udp);
    if (payload < 0) return payload;
    const kind = this.tunnelPorts[udp.dstPort]!;
    if (kind === TUNNEL_NONE) return SKIP_UDP;
    if (this.tunnelDepth >= this.maxTunnelDepth) return SKIP_TUNNEL_TOO_DEEP;
    const tunnel = this.tunnel;
    const udpEnd = udp.payloadEnd;
    const vxlan = kind === TUNNEL_VXLAN;
    const inner = vxlan ? parseVxlan(buf, payload, udpEnd, tunnel) : parseGeneve(buf, payload, udpEnd, tunnel);
    if (inner < 0) return inner;
    this.tunnelDepth++;
    this.counters.inc(vxlan ? TUNNEL_VXLAN_COUNTER : TUNNEL_GENEVE_COUNTER);
    this.segment.vni = tunnel.vni;
    this.segment.tunnel = vxlan ? 'vxlan' : 'geneve';
    // The outer frame's VLANs describe the underlay, not the inner traffic.
    this.vlans.clear();
    if (tunnel.innerType !== ETHERTYPE_TRANSPARENT_ETHERNET) return this.decodeEtherType(tunnel.innerType, buf, inner, udpEnd);
    const next = parseLinkLayer(LINKTYPE_ETHERNET, buf, inner, udpEnd, this.link);
    return next < 0 ? next : this.decodeEtherType(this.link.etherType, buf, next, udpEnd);
  }

  private setAddresses(version: 4 | 6, buf: Buffer, srcOff: number, dstOff: number): void {
    this.ipVersion = version;
    this.addrBuf = buf;
    this.srcOff = srcOff;
    this.dstOff = dstOff;
  }

  /** Tunnel and VLAN context, so equal addresses in different overlays never share a datagram. */
  private contextKey(): string {
    const vni = this.segment.vni;
    return `${vni === undefined ? '' : vni}|${this.vlans.keyText()}|`;
  }
}
