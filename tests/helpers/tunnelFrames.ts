// Frames of a classic pcap wrapped the way cloud mirroring sends them (VXLAN, GENEVE with an
// option TLV), and a paced UDP sender that waits for the listener to catch up instead of
// bursting past its socket buffer.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';

/** The packet bytes of a classic pcap file (either byte order, micro- or nanosecond), in order. */
export function pcapFrames(file: string): { linktype: number; frames: Buffer[] } {
  const b = readFileSync(file);
  const magicLe = b.readUInt32LE(0);
  const le = magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d;
  const u32 = (o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const linktype = u32(20) & 0xffff;
  const frames: Buffer[] = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const caplen = u32(o + 8);
    frames.push(Buffer.from(b.subarray(o + 16, o + 16 + caplen)));
    o += 16 + caplen;
  }
  return { linktype, frames };
}

/** RFC 7348: flags with I set, 24-bit VNI. */
export function vxlan(vni: number, frame: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h[0] = 0x08;
  h.writeUInt32BE((vni << 8) >>> 0, 4);
  return Buffer.concat([h, frame]);
}

/**
 * RFC 8926 with one option TLV (class 0x0108, as AWS Gateway Load Balancer sends, 8 bytes of
 * data), protocol Transparent Ethernet Bridging, or IPv4 when `ipOnly` (the frame's Ethernet
 * header is taken off, as Gateway Load Balancer sends IP packets).
 */
export function geneve(vni: number, frame: Buffer, ipOnly = false): Buffer {
  const option = Buffer.alloc(12);
  option.writeUInt16BE(0x0108, 0);
  option[2] = 0x01;
  option[3] = 2; // length in 4-byte words, after the option header
  option.write('gwlbe-id', 4, 'latin1');
  const h = Buffer.alloc(8);
  h[0] = option.length / 4; // version 0, option length in words
  h.writeUInt16BE(ipOnly ? 0x0800 : 0x6558, 2);
  h.writeUInt32BE((vni << 8) >>> 0, 4);
  return Buffer.concat([h, option, ipOnly ? frame.subarray(14) : frame]);
}

export interface PacedSendResult {
  sent: number;
}

/**
 * Sends datagrams to 127.0.0.1:port in bursts of `burst`, after each burst waiting until
 * `received()` has caught up (or `stallMs` passes with no progress: then the rest are sent
 * anyway and the difference shows as drops, never hidden).
 */
export async function sendPaced(port: number, datagrams: Buffer[], received: () => number, burst = 32, stallMs = 2000): Promise<PacedSendResult> {
  const socket = createSocket('udp4');
  const start = received();
  try {
    let sent = 0;
    for (let i = 0; i < datagrams.length; i += burst) {
      const chunk = datagrams.slice(i, i + burst);
      await Promise.all(chunk.map((d) => new Promise<void>((resolve, reject) => socket.send(d, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())))));
      sent += chunk.length;
      let last = received();
      let since = Date.now();
      while (received() - start < sent) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        const now = received();
        if (now !== last) {
          last = now;
          since = Date.now();
        } else if (Date.now() - since > stallMs) break;
      }
    }
    return { sent };
  } finally {
    socket.close();
  }
}

/** Sends datagrams to 127.0.0.1:port in small bursts, each awaited, so loopback never drops. */
export async function sendUdp(port: number, datagrams: readonly Buffer[]): Promise<void> {
  const socket = createSocket('udp4');
  try {
    for (let i = 0; i < datagrams.length; i += 16) {
      await Promise.all(datagrams.slice(i, i + 16).map((d) => new Promise<void>((resolve, reject) => socket.send(d, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())))));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    socket.close();
  }
}
