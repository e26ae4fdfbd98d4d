// The `cap` libpcap binding, loaded only when live capture is asked for: it is an optional
// dependency, so without libpcap everything else installs and runs, and --iface says what to install.
import type { EventEmitter } from 'node:events';
import { CaptureSourceError } from './captureSourceError';

/** The part of cap 0.2's Cap object sidetap uses. It has no binding for pcap_stats. */
export interface CapHandle extends EventEmitter {
  /** Opens the device and starts delivering packets; returns the link type's name ('ETHERNET', 'RAW', ...). */
  open(device: string, filter: string, bufferBytes: number, buffer: Buffer): string;
  close(): boolean;
  on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): this;
}

export interface CapDevice {
  name: string;
  description?: string;
  addresses: Array<{ addr: string }>;
  flags?: string;
}

export interface CapModule {
  Cap: { new (): CapHandle; deviceList(): CapDevice[] };
}

export const LIBPCAP_INSTALL_HINT =
  'install libpcap with its headers (apt-get install libpcap-dev, or dnf install libpcap-devel) and then reinstall sidetap\'s dependencies (npm install) so cap is built';

/**
 * Loads cap. `load` stands in for require so a test can simulate the module being absent.
 * Throws a CaptureSourceError naming --iface and what to install when it cannot be loaded.
 */
export function loadCap(load: (id: string) => unknown = require): CapModule {
  let mod: unknown;
  try {
    mod = load('cap');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'MODULE_NOT_FOUND' ? 'it is not installed' : firstLine(e.message);
    throw new CaptureSourceError(`--iface: live capture needs the optional "cap" module (libpcap), which could not be loaded (${why}); ${LIBPCAP_INSTALL_HINT}.`);
  }
  const cap = (mod as Partial<CapModule> | undefined)?.Cap;
  if (typeof cap !== 'function' || typeof cap.deviceList !== 'function') {
    throw new CaptureSourceError(`--iface: the "cap" module that loaded is not the libpcap binding sidetap expects (cap 0.2); ${LIBPCAP_INSTALL_HINT}.`);
  }
  return mod as CapModule;
}

/**
 * cap 0.2 crashes the process if one of its handles is ever garbage collected: a handle whose
 * open() failed stops a poll handle that was never started, and a closed one frees a poll handle
 * libuv still lists (it is stopped but never uv_close()d). So every handle is kept for the life of
 * the process: a few small objects per capture started, their libpcap state already released.
 * They hang off the native constructor itself, which lives as long as the process: a list in this
 * module would die with it wherever modules are loaded afresh in one process (jest does so for
 * each test file), and the handles with it.
 */
const KEPT_HANDLES = Symbol.for('sidetap.capture.keptCapHandles');

/** A new Cap handle, kept from the garbage collector for good (see KEPT_HANDLES). */
export function newCapHandle(cap: CapModule): CapHandle {
  const handle = new cap.Cap();
  const holder = cap.Cap as unknown as { [KEPT_HANDLES]?: CapHandle[] };
  (holder[KEPT_HANDLES] ??= []).push(handle);
  return handle;
}

/** A small kernel buffer for the probes that find errors before the real open. */
const PROBE_BUFFER_BYTES = 64 * 1024;

/**
 * Opens `device` with `filter` on a throwaway handle with a small buffer and closes it again:
 * a permission error, a missing device or a filter that does not compile throws here, where a
 * handle left half-open (cap does not release it) holds only the small buffer.
 */
export function probeCap(cap: CapModule, device: string, filter: string): void {
  const probe = newCapHandle(cap);
  probe.open(device, filter, PROBE_BUFFER_BYTES, Buffer.alloc(64));
  probe.close();
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.replace(/\.$/, '');
}
