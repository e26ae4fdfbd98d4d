// The packet decoder's public face: packets in, TCP segments out.
export { PacketDecoder } from './packetDecoder';
export { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from './tcpSegment';
export type { SegmentHandler, TcpSegment } from './tcpSegment';
