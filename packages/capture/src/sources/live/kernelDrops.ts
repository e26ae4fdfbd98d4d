// Packets the kernel dropped because a live capture's buffer was full (libpcap's ps_drop), and the
// packets it handed to the capture (ps_recv). cap 0.2 binds no pcap_stats, so they are read from
// the capture's own AF_PACKET socket with the packet_stats addon (packages/capture/native), which
// is optional: without it these counters are simply not reported.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** The kernel's counts since the previous read (it resets them on every read). */
export interface PacketStatistics {
  /** Packets that passed the filter, dropped ones included. */
  packets: number;
  /** Packets dropped because the capture buffer (ring) was full. */
  drops: number;
  /** Times a TPACKET_V3 ring block was frozen for being full. */
  freezeQueue: number;
}

export interface PacketStatsAddon {
  /** null when fd is not an AF_PACKET socket. */
  packetStatistics(fd: number): PacketStatistics | null;
}

/** Where scripts/setup builds the addon; the same from src/ and dist/, both two levels below the package. */
export const PACKET_STATS_ADDON = join(__dirname, '../../../native/build/Release/packet_stats.node');

export type AddonLoad = { ok: true; addon: PacketStatsAddon } | { ok: false; why: string };

let loaded: AddonLoad | undefined;

/** Loads the addon, once per process unless `load` (standing in for require in tests) is given. */
export function loadPacketStats(load?: (id: string) => unknown): AddonLoad {
  if (load === undefined && loaded !== undefined) return loaded;
  let result: AddonLoad;
  try {
    const mod = (load ?? require)(PACKET_STATS_ADDON) as Partial<PacketStatsAddon> | undefined;
    result = typeof mod?.packetStatistics === 'function'
      ? { ok: true, addon: mod as PacketStatsAddon }
      : { ok: false, why: `${PACKET_STATS_ADDON} is not the packet statistics addon` };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    result = {
      ok: false,
      why: e.code === 'MODULE_NOT_FOUND'
        ? 'the packet statistics addon is not built (scripts/setup builds it with gcc and Node\'s headers)'
        : `the packet statistics addon could not be loaded (${(e.message ?? String(err)).split('\n', 1)[0]})`,
    };
  }
  if (load === undefined) loaded = result;
  return result;
}

/** The sockets this process holds now: inode → fd. */
export function socketInodes(procFd = '/proc/self/fd'): Map<number, number> {
  const sockets = new Map<number, number>();
  let fds: string[];
  try {
    fds = readdirSync(procFd);
  } catch {
    return sockets;
  }
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`${procFd}/${fd}`);
    } catch {
      continue; // closed since the listing (the listing's own fd among them)
    }
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m) sockets.set(Number(m[1]), Number(fd));
  }
  return sockets;
}

/** The interface's index as packet sockets record it ('any' is 0), or undefined where sysfs has no such interface. */
export function ifaceIndex(iface: string, sysfs = '/sys/class/net'): number | undefined {
  if (iface === 'any') return 0;
  if (!/^[\w.:@-]+$/.test(iface)) return undefined;
  try {
    const n = Number(readFileSync(`${sysfs}/${iface}/ifindex`, 'utf8').trim());
    return Number.isInteger(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Inodes of the packet sockets bound to `ifindex`, from /proc/net/packet (`sk RefCnt Type Proto Iface R Rmem User Inode`). */
export function packetSocketInodes(ifindex: number, procNetPacket = '/proc/net/packet'): Set<number> {
  const inodes = new Set<number>();
  let text: string;
  try {
    text = readFileSync(procNetPacket, 'utf8');
  } catch {
    return inodes;
  }
  const lines = text.split('\n');
  const header = (lines[0] ?? '').trim().split(/\s+/);
  const ifaceColumn = header.indexOf('Iface');
  const inodeColumn = header.indexOf('Inode');
  if (ifaceColumn < 0 || inodeColumn < 0) return inodes;
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (Number(fields[ifaceColumn]) !== ifindex) continue;
    const inode = Number(fields[inodeColumn]);
    if (Number.isInteger(inode) && inode > 0) inodes.add(inode);
  }
  return inodes;
}

/** Running totals since the capture opened. */
export interface KernelCounts {
  received: number;
  dropped: number;
}

/** Reads and accumulates the kernel's counters of one capture's packet socket(s) until closed. */
export class KernelDrops {
  private readonly totals: KernelCounts = { received: 0, dropped: 0 };
  private closed = false;

  constructor(
    private readonly addon: PacketStatsAddon,
    /** The capture's packet socket fds; owned by the capture handle, so read only while it is open. */
    readonly fds: readonly number[],
  ) {}

  /** Adds what the kernel counted since the last read and gives the totals. */
  sample(): KernelCounts {
    if (this.closed) return this.totals;
    for (const fd of this.fds) {
      const st = this.addon.packetStatistics(fd);
      if (st === null) continue;
      this.totals.received += st.packets;
      this.totals.dropped += st.drops;
    }
    return this.totals;
  }

  /** Stops reading: call before the handle closes, after which the fd numbers may belong to anything. */
  close(): void {
    this.closed = true;
  }
}

/**
 * Finds the packet socket(s) a capture handle opened on `iface`: sockets present now and not in
 * `before` (taken just before the open, so captures in one process stay apart) that
 * /proc/net/packet lists on the interface. Gives the reader, or why the counts are not available.
 */
export function findKernelDrops(
  iface: string,
  before: ReadonlyMap<number, number>,
  options: { load?: (id: string) => unknown; procFd?: string; procNetPacket?: string; sysfs?: string } = {},
): { ok: true; drops: KernelDrops } | { ok: false; why: string } {
  const addon = loadPacketStats(options.load);
  if (!addon.ok) return addon;
  const ifindex = ifaceIndex(iface, options.sysfs);
  if (ifindex === undefined) return { ok: false, why: `${iface} has no index in /sys/class/net (packet socket statistics are read on Linux only)` };
  const onIface = packetSocketInodes(ifindex, options.procNetPacket);
  const fds: number[] = [];
  for (const [inode, fd] of socketInodes(options.procFd)) {
    if (!before.has(inode) && onIface.has(inode)) fds.push(fd);
  }
  if (fds.length === 0) return { ok: false, why: `no new packet socket on ${iface} (index ${ifindex}) was found in /proc/self/fd and /proc/net/packet` };
  return { ok: true, drops: new KernelDrops(addon.addon, fds) };
}
