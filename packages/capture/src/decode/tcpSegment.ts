// A decoded TCP segment, handed from the packet decoder to TCP reassembly. The decoder reuses
// one object and `payload` points into the reader's chunk: valid only during the callback.

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface TcpSegment {
  tsUs: number;
  ipVersion: 4 | 6;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  /** Unsigned 32-bit sequence and acknowledgement numbers. */
  seq: number;
  ack: number;
  /** TCP flag bits (TCP_FIN, TCP_SYN, ...). */
  flags: number;
  payload: Buffer;
  /** Payload bytes sent on the wire past the captured ones, cut off by the snap length (0 when whole). */
  snappedBytes: number;
  /** 802.1Q/802.1ad VLAN ids, outermost first; undefined when untagged. */
  vlan: number[] | undefined;
  /** Innermost VXLAN/GENEVE VNI the segment was decapsulated from. */
  vni: number | undefined;
  tunnel: 'vxlan' | 'geneve' | undefined;
}

export type SegmentHandler = (segment: TcpSegment) => void;

/** A blank segment, for code that reuses one object per packet. */
export function blankTcpSegment(): TcpSegment {
  return {
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
    snappedBytes: 0,
    vlan: undefined,
    vni: undefined,
    tunnel: undefined,
  };
}
