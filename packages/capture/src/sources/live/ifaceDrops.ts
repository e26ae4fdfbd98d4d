// Packets an interface dropped before any capture saw them, as libpcap reports them on Linux
// (ps_ifdrop comes from the same kernel counter): /sys/class/net/<iface>/statistics/rx_dropped.
import { readFileSync } from 'node:fs';

/** The interface's receive drop count now, or undefined where the system does not expose it ('any', non-Linux). */
export function readIfaceDrops(iface: string, sysfs = '/sys/class/net'): number | undefined {
  if (!/^[\w.:@-]+$/.test(iface)) return undefined;
  try {
    const n = Number(readFileSync(`${sysfs}/${iface}/statistics/rx_dropped`, 'utf8').trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}
