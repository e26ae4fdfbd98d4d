// Puts back the outer IP and UDP headers the kernel took off a tunnel datagram, so the packet
// decoder takes the tunnel off itself, exactly as it does for VXLAN or GENEVE in a capture file:
// the VNI keeps flows (and IP fragments) of different virtual networks apart, and the sender's
// address keeps fragments from different mirror sources apart.
import { isIPv4 } from 'node:net';

const IPV4_HEADER = 20;
const IPV6_HEADER = 40;
const UDP_HEADER = 8;
const PROTO_UDP = 17;

export class OuterHeaders {
  private scratch = Buffer.alloc(IPV6_HEADER + UDP_HEADER + 65536);
  private readonly local4: Buffer;
  private readonly local6: Buffer;

  /** `localAddress` is the listener's own (the packet's destination), `port` the tunnel port the decoder knows. */
  constructor(
    localAddress: string,
    private readonly port: number,
  ) {
    this.local4 = isIPv4(localAddress) ? ipv4Bytes(localAddress) : Buffer.alloc(4);
    this.local6 = ipv6Bytes(localAddress) ?? Buffer.alloc(16);
  }

  /**
   * The datagram behind an outer header from `from`, as raw IP. The returned buffer is reused by
   * the next call. Returns the packet's length.
   */
  wrap(datagram: Buffer, fromAddress: string, fromPort: number): { buf: Buffer; length: number } {
    const mapped = fromAddress.startsWith('::ffff:') && isIPv4(fromAddress.slice(7)) ? fromAddress.slice(7) : fromAddress;
    const v4 = isIPv4(mapped);
    const ipLength = v4 ? IPV4_HEADER : IPV6_HEADER;
    const total = ipLength + UDP_HEADER + datagram.length;
    if (this.scratch.length < total) this.scratch = Buffer.alloc(total);
    const b = this.scratch;
    if (v4) {
      b[0] = 0x45;
      b[1] = 0;
      b.writeUInt16BE(Math.min(total, 0xffff), 2);
      b.writeUInt32BE(0, 4); // id, no fragmentation: the kernel reassembled the outer datagram
      b[8] = 64;
      b[9] = PROTO_UDP;
      b.writeUInt16BE(0, 10);
      ipv4Bytes(mapped).copy(b, 12);
      this.local4.copy(b, 16);
    } else {
      b.writeUInt32BE(0x60000000, 0);
      b.writeUInt16BE(Math.min(UDP_HEADER + datagram.length, 0xffff), 4);
      b[6] = PROTO_UDP;
      b[7] = 64;
      (ipv6Bytes(mapped) ?? Buffer.alloc(16)).copy(b, 8);
      this.local6.copy(b, 24);
    }
    b.writeUInt16BE(fromPort, ipLength);
    b.writeUInt16BE(this.port, ipLength + 2);
    b.writeUInt16BE(Math.min(UDP_HEADER + datagram.length, 0xffff), ipLength + 4);
    b.writeUInt16BE(0, ipLength + 6);
    datagram.copy(b, ipLength + UDP_HEADER);
    return { buf: b, length: total };
  }
}

function ipv4Bytes(text: string): Buffer {
  const out = Buffer.alloc(4);
  text.split('.').forEach((part, i) => (out[i] = Number(part) & 0xff));
  return out;
}

/** IPv6 text (with `::`, an optional dotted IPv4 tail; a `%zone` is ignored) to 16 bytes; undefined if it is not IPv6. */
export function ipv6Bytes(text: string): Buffer | undefined {
  const address = text.split('%', 1)[0]!;
  if (!address.includes(':')) return undefined;
  let tail: number[] = [];
  let body = address;
  const lastColon = address.lastIndexOf(':');
  if (isIPv4(address.slice(lastColon + 1))) {
    const v4 = ipv4Bytes(address.slice(lastColon + 1));
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    body = address.slice(0, lastColon) + (address.slice(0, lastColon).endsWith(':') ? ':' : '');
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const [head = '', rest] = halves;
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  if (![...left, ...right].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const fill = 8 - tail.length - left.length - right.length;
  if (fill < 0 || (rest === undefined && fill !== 0)) return undefined;
  const groups = [...left.map((g) => parseInt(g, 16)), ...new Array<number>(fill).fill(0), ...right.map((g) => parseInt(g, 16)), ...tail];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}
