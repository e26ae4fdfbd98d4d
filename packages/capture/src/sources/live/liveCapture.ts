// Live capture from a network interface (a SPAN port, a host's own traffic) through libpcap,
// via the optional `cap` binding. Packets are stamped on arrival and fed to a LiveEngine; a
// timer moves its clock once a second so a quiet link still closes idle connections.
import type { CaptureSummary } from '../../capturePipeline';
import { LINKTYPE } from '../linktypes';
import type { PacketView } from '../packetView';
import { loadCap, newCapHandle, probeCap } from './capModule';
import type { CapHandle, CapModule } from './capModule';
import { CaptureSourceError } from './captureSourceError';
import { readIfaceDrops } from './ifaceDrops';
import { findKernelDrops, socketInodes } from './kernelDrops';
import type { KernelDrops } from './kernelDrops';
import { LiveEngine } from './liveEngine';
import type { LiveEngineOptions } from './liveEngine';
import { wallClockUs } from './wallClock';
import { startLiveTicker } from './liveTicker';

export const LIVE_IFACE_DROPPED = 'capture_live_iface_dropped_total';
export const LIVE_PACKETS_TRUNCATED = 'capture_live_packets_truncated_total';
/** libpcap's ps_drop: packets the kernel dropped because the capture buffer was full. */
export const LIVE_KERNEL_DROPPED = 'capture_live_kernel_dropped_total';
/** libpcap's ps_recv: packets that passed the filter and reached the capture buffer, dropped ones included. */
export const LIVE_KERNEL_RECEIVED = 'capture_live_kernel_received_total';

export interface LiveCaptureOptions extends Omit<LiveEngineOptions, 'source'> {
  /** Interface name as libpcap knows it (`lo`, `eth0`, `any`). */
  iface: string;
  /** A pcap-filter(7) expression; default: everything. */
  bpf?: string | undefined;
  /** Bytes of each packet kept (default 65535, libpcap's own limit in cap 0.2). */
  snaplen?: number | undefined;
  /** libpcap's kernel buffer in MiB (default 32); a bigger one rides out longer bursts. */
  bufferSizeMb?: number | undefined;
  /** How often the clock ticks without traffic, in ms (default 1000). */
  tickMs?: number | undefined;
  /** The cap module; default: loaded now (tests pass a stand-in). */
  cap?: CapModule | undefined;
  /** Told why the kernel's counters cannot be reported; default: one stderr line, once per process. */
  onNotice?: ((message: string) => void) | undefined;
}

export interface LiveCapture {
  readonly iface: string;
  /** LINKTYPE_* of the interface. */
  readonly linktype: number;
  readonly engine: LiveEngine;
  /** Stops capturing, closes every connection (emitting what each holds) and summarises. */
  stop(): Promise<CaptureSummary>;
}

export const DEFAULT_SNAPLEN = 65535;
export const DEFAULT_BUFFER_SIZE_MB = 32;
const MAX_BUFFER_SIZE_MB = 2047;

const LINKTYPES: Record<string, number> = {
  ETHERNET: LINKTYPE.ETHERNET,
  NULL: LINKTYPE.NULL,
  RAW: LINKTYPE.RAW,
  LINKTYPE_LINUX_SLL: LINKTYPE.LINUX_SLL,
};

/** Opens the interface and starts capturing; throws a CaptureSourceError naming the flag when it cannot. */
export function startLiveCapture(options: LiveCaptureOptions): LiveCapture {
  const { iface } = options;
  const snaplen = options.snaplen ?? DEFAULT_SNAPLEN;
  if (!Number.isInteger(snaplen) || snaplen < 64 || snaplen > DEFAULT_SNAPLEN) {
    throw new CaptureSourceError(`--snaplen: expected a whole number of bytes from 64 to ${DEFAULT_SNAPLEN}, got ${snaplen}.`);
  }
  const bufferMb = options.bufferSizeMb ?? DEFAULT_BUFFER_SIZE_MB;
  if (!Number.isFinite(bufferMb) || bufferMb <= 0 || bufferMb > MAX_BUFFER_SIZE_MB) {
    throw new CaptureSourceError(`--buffer-size: expected MiB from 1 to ${MAX_BUFFER_SIZE_MB}, got ${bufferMb}.`);
  }
  const cap = options.cap ?? loadCap();
  const names = cap.Cap.deviceList().map((d) => d.name);
  // Checked first: cap prints libpcap's warnings about an unknown device straight to stderr.
  if (!names.includes(iface)) {
    throw new CaptureSourceError(`--iface ${iface}: no such interface (libpcap sees ${names.join(', ') || 'none'}).`);
  }
  const filter = options.bpf ?? '';
  try {
    probeCap(cap, iface, '');
  } catch (err) {
    throw new CaptureSourceError(openFailure(iface, (err as Error).message));
  }
  if (filter !== '') {
    try {
      probeCap(cap, iface, filter);
    } catch (err) {
      throw new CaptureSourceError(`--bpf "${filter}": libpcap cannot compile it (${(err as Error).message}).`);
    }
  }

  const engine = new LiveEngine({ ...options, source: 'live' });
  const handle: CapHandle = newCapHandle(cap);
  const buffer = Buffer.alloc(snaplen);
  // The sockets before the open, to tell this handle's packet socket from any other capture's.
  const socketsBefore = socketInodes();
  let linkName: string;
  try {
    linkName = handle.open(iface, filter, Math.round(bufferMb * 1024 * 1024), buffer);
  } catch (err) {
    void engine.abort();
    throw new CaptureSourceError(openFailure(iface, (err as Error).message));
  }
  const linktype = LINKTYPES[linkName];
  if (linktype === undefined) {
    handle.close();
    void engine.abort();
    throw new CaptureSourceError(`--iface ${iface}: its link type (${linkName}) is not one sidetap decodes (Ethernet, raw IP, Linux cooked, BSD loopback).`);
  }

  const view: PacketView = { tsUs: 0, linktype, buf: buffer, offset: 0, caplen: 0, origLen: 0, iface: 0, fileOffset: 0 };
  const counters = engine.counters;
  handle.on('packet', (nbytes: number, truncated: boolean) => {
    view.tsUs = wallClockUs();
    view.caplen = nbytes;
    // cap reports only whether the copy was cut, not the length on the wire.
    view.origLen = truncated ? nbytes + 1 : nbytes;
    if (truncated) counters.inc(LIVE_PACKETS_TRUNCATED);
    engine.feed(view);
  });

  const found = findKernelDrops(iface, socketsBefore);
  const kernel: KernelDrops | undefined = found.ok ? found.drops : undefined;
  if (!found.ok) (options.onNotice ?? noticeOnce)(`--iface ${iface}: ${LIVE_KERNEL_DROPPED} is not reported because ${found.why}.`);
  const sampleKernel = (): void => {
    if (kernel === undefined) return;
    const totals = kernel.sample();
    counters.set(LIVE_KERNEL_RECEIVED, totals.received);
    counters.set(LIVE_KERNEL_DROPPED, totals.dropped);
  };
  const ticker = startLiveTicker(engine, counters, LIVE_IFACE_DROPPED, () => readIfaceDrops(iface), options.tickMs ?? 1000, sampleKernel);

  let summary: Promise<CaptureSummary> | undefined;
  return {
    iface,
    linktype,
    engine,
    stop(): Promise<CaptureSummary> {
      summary ??= (async () => {
        ticker.stop();
        // The last read of the socket's counters, before closing frees its fd for reuse.
        sampleKernel();
        kernel?.close();
        handle.close();
        ticker.sampleDrops();
        const open = engine.openFlows;
        await engine.stop(wallClockUs());
        return engine.summary(open);
      })();
      return summary;
    },
  };
}

const NOTICED = new Set<string>();

function noticeOnce(message: string): void {
  if (NOTICED.has(message)) return;
  NOTICED.add(message);
  process.stderr.write(`sidetap: ${message}\n`);
}

function openFailure(iface: string, message: string): string {
  if (/permi/i.test(message)) {
    return `--iface ${iface}: not permitted to capture (libpcap: ${message}); run as root, or give node CAP_NET_RAW and CAP_NET_ADMIN (setcap cap_net_raw,cap_net_admin=eip "$(command -v node)").`;
  }
  return `--iface ${iface}: libpcap cannot open it (${message}).`;
}
