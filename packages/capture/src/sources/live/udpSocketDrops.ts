// Datagrams the kernel dropped because a UDP socket's receive buffer was full: the `drops` column
// of /proc/net/udp (udp6 for IPv6 sockets) on Linux. Node has no other way to read it.
import { readFileSync } from 'node:fs';

/** Drops counted for sockets bound to `port`, or undefined where the system does not expose them. */
export function readUdpSocketDrops(port: number, family: 4 | 6, procNet = '/proc/net'): number | undefined {
  let text: string;
  try {
    text = readFileSync(`${procNet}/${family === 6 ? 'udp6' : 'udp'}`, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const header = (lines[0] ?? '').trim().split(/\s+/);
  const dropsColumn = header.indexOf('drops');
  if (dropsColumn < 0) return undefined;
  // Header names and row fields do not line up one to one (`tx_queue rx_queue` is one field in
  // rows, `tr tm->when` likewise), but drops is the last field of both.
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  let total = 0;
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (local === undefined || !local.endsWith(`:${portHex}`)) continue;
    const n = Number(fields[fields.length - 1]);
    if (Number.isFinite(n)) total += n;
  }
  return total;
}
