// One captured packet in, zero or one TCP segment out: link layer, VLAN tags, MPLS, PPPoE,
// IPv4/IPv6 with fragment reassembly, VXLAN/GENEVE/GRE/ERSPAN/IP-in-IP decapsulation, TCP header.
// Every outcome moves one counter.
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
  TUNNEL_ERSPAN,
  TUNNEL_GENEVE as TUNNEL_GENEVE_COUNTER,
  TUNNEL_GRE,
  TUNNEL_IPIP,
  TUNNEL_MPLS,
  TUNNEL_PPPOE,
  TUNNEL_VXLAN as TUNNEL_VXLAN_COUNTER,
} from './decodeCounters';
import {
  ETHERTYPE_ERSPAN_II,
  ETHERTYPE_ERSPAN_III,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  ETHERTYPE_MPLS_MULTICAST,
  ETHERTYPE_MPLS_UNICAST,
  ETHERTYPE_PPPOE_SESSION,
  ETHERTYPE_TRANSPARENT_ETHERNET,
} from './etherTypes';
import { parseErspan, parseGre, type ErspanOut, type GreOut } from './gre';
import { IpAddressText } from './ipAddressText';
import { IpFragmentReassembler } from './ipFragmentReassembler';
import { parseIpv4, type Ipv4Out } from './ipv4';
import { parseIpv6, walkIpv6Extensions, type Ipv6Out } from './ipv6';
import { LINKTYPE_ETHERNET, parseLinkLayer, type LinkLayerOut } from './linkLayer';
import { parseMpls, type MplsOut } from './mpls';
import { parsePppoeSession, type PppOut } from './ppp';
import { parseTcpHeader } from './tcpHeader';
import { blankTcpSegment } from './tcpSegment';
import type { SegmentHandler, TcpSegment } from './tcpSegment';
import {
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

const PROTO_IPV4_IN_IP = 4;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_IPV6_IN_IP = 41;
const PROTO_GRE = 47;

export class PacketDecoder {
  private readonly segment: TcpSegment = blankTcpSegment();
  private readonly link: LinkLayerOut = { etherType: 0 };
  private readonly v4: Ipv4Out = { protocol: 0, payloadEnd: 0, snapped: false, missing: 0, sizedByFrame: false, id: 0, fragOffset: 0, moreFragments: false };
  private readonly v6: Ipv6Out = { protocol: 0, payloadEnd: 0, snapped: false, missing: 0, sizedByFrame: false, fragment: false, id: 0, fragOffset: 0, moreFragments: false };
  private readonly udp: UdpOut = { dstPort: 0, payloadEnd: 0 };
  private readonly tunnel: TunnelOut = { vni: 0, innerType: 0 };
  private readonly gre: GreOut = { protocol: 0, key: 0, sequenced: false };
  private readonly erspan: ErspanOut = { sessionId: 0 };
  private readonly mpls: MplsOut = { innerType: 0, label: 0 };
  private readonly ppp: PppOut = { etherType: 0, payloadEnd: 0 };
  private readonly vlans = new VlanTags();
  private readonly addresses = new IpAddressText();
  private readonly fragments: IpFragmentReassembler;
  private readonly tunnelPorts: Uint8Array;
  private readonly maxTunnelDepth: number;

  // The packet being decoded. The address fields are those of the innermost IP header so far;
  // the addresses stay in the packet bytes even when the payload comes from reassembly.
  private tsUs = 0;
  /** Bytes of the frame the snap length cut off (wire length minus captured length). */
  private frameCut = 0;
  /** Payload bytes the innermost IP header so far promised past the captured ones. */
  private ipCut = 0;
  private tunnelDepth = 0;
  private ipVersion: 4 | 6 = 4;
  private addrBuf: Buffer = this.segment.payload;
  private srcOff = 0;
  private dstOff = 0;
  /** Bytes of source and destination address, adjacent in both IP headers; 0 before any IP header. */
  private addrLen = 0;
  // The innermost tunnel: its id (VNI, GRE key, ERSPAN session, pseudowire label) and where its
  // outer endpoint addresses are (none for a pseudowire straight on Ethernet), to keep fragments
  // of different tunnels apart.
  private tunnelId = 0;
  private tunnelAddrBuf: Buffer = this.segment.payload;
  private tunnelAddrOff = 0;
  private tunnelAddrLen = 0;

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
    this.frameCut = end >= off ? Math.max(0, packet.origLen - (end - off)) : 0;
    this.ipCut = 0;
    this.tunnelDepth = 0;
    this.addrLen = 0;
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
    switch (etherType) {
      case ETHERTYPE_IPV4:
        return this.decodeIpv4(buf, off, end);
      case ETHERTYPE_IPV6:
        return this.decodeIpv6(buf, off, end);
      case ETHERTYPE_MPLS_UNICAST:
      case ETHERTYPE_MPLS_MULTICAST:
        return this.decodeMpls(buf, off, end);
      case ETHERTYPE_PPPOE_SESSION:
        return this.decodePppoe(buf, off, end);
      default:
        // Anything else, 802.3 length fields (below 0x0600) included.
        return SKIP_NON_IP;
    }
  }

  private decodeEthernet(buf: Buffer, off: number, end: number): number {
    const next = parseLinkLayer(LINKTYPE_ETHERNET, buf, off, end, this.link);
    return next < 0 ? next : this.decodeEtherType(this.link.etherType, buf, next, end);
  }

  // MPLS and PPPoE are shims inside one frame, not tunnels: the frame's VLANs stay its VLANs.
  private decodeMpls(buf: Buffer, off: number, end: number): number {
    const mpls = this.mpls;
    const payload = parseMpls(buf, off, end, mpls);
    if (payload < 0) return payload;
    this.counters.inc(TUNNEL_MPLS);
    if (mpls.innerType !== ETHERTYPE_TRANSPARENT_ETHERNET) return this.decodeEtherType(mpls.innerType, buf, payload, end);
    // A pseudowire carries a whole frame, which may hold MPLS again: it nests like a tunnel.
    if (this.tunnelDepth >= this.maxTunnelDepth) return SKIP_TUNNEL_TOO_DEEP;
    this.enterTunnel(mpls.label);
    return this.decodeEthernet(buf, payload, end);
  }

  private decodePppoe(buf: Buffer, off: number, end: number): number {
    const ppp = this.ppp;
    const payload = parsePppoeSession(buf, off, end, ppp);
    if (payload < 0) return payload;
    this.counters.inc(TUNNEL_PPPOE);
    return this.decodeEtherType(ppp.etherType, buf, payload, ppp.payloadEnd);
  }

  private decodeIpv4(buf: Buffer, off: number, end: number): number {
    const ip = this.v4;
    const pos = parseIpv4(buf, off, end, ip);
    if (pos < 0) return pos;
    this.setAddresses(4, buf, off + 12, off + 16);
    if (ip.snapped) this.counters.inc(SNAPPED);
    if (!ip.moreFragments && ip.fragOffset === 0) {
      this.ipCut = this.cutOf(ip);
      return this.decodeTransport(ip.protocol, buf, pos, ip.payloadEnd);
    }
    // A fragment cut by the snap length could never complete its datagram.
    if (ip.snapped) return SKIP_TRUNCATED;
    const key = `4${this.contextKey()}${buf.toString('latin1', off + 12, off + 20)}${String.fromCharCode(ip.id, ip.protocol)}`;
    const data = this.fragments.add(key, this.tsUs, ip.fragOffset, ip.moreFragments, ip.protocol, buf, pos, ip.payloadEnd);
    if (data === undefined) return HELD;
    this.ipCut = 0;
    return this.decodeTransport(ip.protocol, data, 0, data.length);
  }

  private decodeIpv6(buf: Buffer, off: number, end: number): number {
    const ip = this.v6;
    const pos = parseIpv6(buf, off, end, ip);
    if (pos < 0) return pos;
    this.setAddresses(6, buf, off + 8, off + 24);
    if (ip.snapped) this.counters.inc(SNAPPED);
    if (!ip.fragment) {
      this.ipCut = this.cutOf(ip);
      return this.decodeTransport(ip.protocol, buf, pos, ip.payloadEnd);
    }
    if (ip.snapped) return SKIP_TRUNCATED;
    const key = `6${this.contextKey()}${buf.toString('latin1', off + 8, off + 40)}${String.fromCharCode(ip.id >>> 16, ip.id & 0xffff)}`;
    const data = this.fragments.add(key, this.tsUs, ip.fragOffset, ip.moreFragments, ip.protocol, buf, pos, ip.payloadEnd);
    if (data === undefined) return HELD;
    // The fragmentable part may itself start with extension headers (RFC 8200 §4.5).
    const upper = walkIpv6Extensions(this.fragments.protocol, data, 0, data.length, ip, false);
    if (upper < 0) return upper;
    this.ipCut = 0;
    return this.decodeTransport(ip.protocol, data, upper, data.length);
  }

  private decodeTransport(protocol: number, buf: Buffer, pos: number, end: number): number {
    switch (protocol) {
      case PROTO_TCP:
        return this.emitTcp(buf, pos, end);
      case PROTO_UDP:
        return this.decodeUdp(buf, pos, end);
      case PROTO_GRE:
        return this.decodeGre(buf, pos, end);
      case PROTO_IPV4_IN_IP:
      case PROTO_IPV6_IN_IP:
        if (this.tunnelDepth >= this.maxTunnelDepth) return SKIP_TUNNEL_TOO_DEEP;
        this.enterTunnel(0);
        this.counters.inc(TUNNEL_IPIP);
        return protocol === PROTO_IPV4_IN_IP ? this.decodeIpv4(buf, pos, end) : this.decodeIpv6(buf, pos, end);
      default:
        return SKIP_NON_TCP;
    }
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
    segment.snappedBytes = this.ipCut;
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
    this.enterTunnel(tunnel.vni);
    this.counters.inc(vxlan ? TUNNEL_VXLAN_COUNTER : TUNNEL_GENEVE_COUNTER);
    this.segment.vni = tunnel.vni;
    this.segment.tunnel = vxlan ? 'vxlan' : 'geneve';
    if (tunnel.innerType !== ETHERTYPE_TRANSPARENT_ETHERNET) return this.decodeEtherType(tunnel.innerType, buf, inner, udpEnd);
    return this.decodeEthernet(buf, inner, udpEnd);
  }

  // GRE and ERSPAN leave segment.vni and segment.tunnel alone: those name VXLAN/GENEVE only, so
  // a segment from GRE inside VXLAN still reports the VXLAN it came through.
  private decodeGre(buf: Buffer, pos: number, end: number): number {
    if (this.tunnelDepth >= this.maxTunnelDepth) return SKIP_TUNNEL_TOO_DEEP;
    const gre = this.gre;
    const inner = parseGre(buf, pos, end, gre);
    if (inner < 0) return inner;
    const protocol = gre.protocol;
    if (protocol === ETHERTYPE_ERSPAN_II || protocol === ETHERTYPE_ERSPAN_III) {
      const frame = parseErspan(protocol, gre.sequenced, buf, inner, end, this.erspan);
      if (frame < 0) return frame;
      this.enterTunnel(this.erspan.sessionId);
      this.counters.inc(TUNNEL_ERSPAN);
      return this.decodeEthernet(buf, frame, end);
    }
    this.enterTunnel(gre.key);
    this.counters.inc(TUNNEL_GRE);
    if (protocol === ETHERTYPE_TRANSPARENT_ETHERNET) return this.decodeEthernet(buf, inner, end);
    // Unknown protocols (keepalives 0x0000, WCCP, NHRP, ...) end there as non_ip.
    return this.decodeEtherType(protocol, buf, inner, end);
  }

  /**
   * Payload bytes of a datagram lost to the snap length. Only a frame the capture really cut counts:
   * a length field promising more than an uncut frame holds is a lie, not lost bytes. Live sources
   * may only know that the frame was cut, so then the IP length says by how much.
   */
  private cutOf(ip: Ipv4Out | Ipv6Out): number {
    if (this.frameCut === 0) return 0;
    return ip.sizedByFrame ? this.frameCut : ip.missing;
  }

  /** Called with the outer IP header's addresses still current. */
  private enterTunnel(id: number): void {
    this.tunnelDepth++;
    this.tunnelId = id;
    this.tunnelAddrBuf = this.addrBuf;
    this.tunnelAddrOff = this.srcOff;
    this.tunnelAddrLen = this.addrLen;
    // The outer frame's VLANs describe the underlay, not the inner traffic.
    this.vlans.clear();
  }

  private setAddresses(version: 4 | 6, buf: Buffer, srcOff: number, dstOff: number): void {
    this.ipVersion = version;
    this.addrBuf = buf;
    this.srcOff = srcOff;
    this.dstOff = dstOff;
    this.addrLen = version === 4 ? 8 : 32;
  }

  /** Tunnel and VLAN context, so equal addresses in different overlays never share a datagram. */
  private contextKey(): string {
    const vni = this.segment.vni;
    const key = `${vni === undefined ? '' : vni}|${this.vlans.keyText()}|`;
    if (this.tunnelDepth === 0) return key;
    const from = this.tunnelAddrOff;
    return `${key}${this.tunnelId}|${this.tunnelAddrBuf.toString('latin1', from, from + this.tunnelAddrLen)}|`;
  }
}
