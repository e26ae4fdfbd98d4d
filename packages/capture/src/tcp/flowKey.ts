// The flow table key: both endpoints in a fixed order (so either direction finds the connection),
// plus the VLAN tags and the tunnel VNI, so one 4-tuple in two VLANs or VNIs is two connections.
import type { TcpSegment } from '../decode/tcpSegment';

export function flowKey(segment: TcpSegment): string {
  let key = tupleKey(segment);
  const vlan = segment.vlan;
  if (vlan !== undefined) for (let i = 0; i < vlan.length; i++) key += ' v' + vlan[i];
  if (segment.vni !== undefined) key += (segment.tunnel === 'geneve' ? ' g' : ' x') + segment.vni;
  return key;
}

/** The endpoints alone: the flow key of an untagged segment, shared by copies of it under any tags. */
export function tupleKey(segment: TcpSegment): string {
  const { srcIp, dstIp, srcPort, dstPort } = segment;
  return srcIp < dstIp || (srcIp === dstIp && srcPort <= dstPort)
    ? srcIp + ' ' + srcPort + ' ' + dstIp + ' ' + dstPort
    : dstIp + ' ' + dstPort + ' ' + srcIp + ' ' + srcPort;
}
