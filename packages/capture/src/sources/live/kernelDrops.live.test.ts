// Kernel drops counted for real: a live capture on lo with a 1 MiB buffer stops reading (the event
// loop is held by spawnSync) while a child process sends a burst of UDP datagrams twenty times the
// buffer to 127.0.0.1, so the kernel must drop most of them. Skipped, with the reason, only where
// this machine does not permit opening the interface.
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { captureConfigSchema } from '../../captureConfig';
import { CaptureSourceError } from './captureSourceError';
import { startLiveCapture, LIVE_KERNEL_DROPPED, LIVE_KERNEL_RECEIVED } from './liveCapture';
import type { LiveCapture, LiveCaptureOptions } from './liveCapture';

const KEY = new Uint8Array(32).fill(7);
const BURST = 20_000;
const DATAGRAM_BYTES = 1000;

function options(bpf: string, notices: string[] = []): LiveCaptureOptions {
  return { iface: 'lo', bpf, config: captureConfigSchema.parse({}), redactionKey: KEY, onExchange: () => undefined, onNotice: (m) => notices.push(m), tickMs: 100 };
}

/** Opening lo needs CAP_NET_RAW; anything but a permission error is a failure, not a skip. */
function liveCapturePermitted(): { ok: boolean; why: string } {
  try {
    void startLiveCapture(options('udp port 9')).stop();
    return { ok: true, why: '' };
  } catch (err) {
    if (err instanceof CaptureSourceError && /not permitted/.test(err.message)) return { ok: false, why: err.message };
    throw err;
  }
}

const permitted = liveCapturePermitted();
const describeLive = permitted.ok ? describe : describe.skip;
if (!permitted.ok) console.warn(`kernel drop tests skipped: ${permitted.why}`);

async function waitFor(condition: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeLive('kernel drops of a live capture on lo', () => {
  const receiver = createSocket('udp4');
  let port = 0;
  const running: LiveCapture[] = [];

  beforeAll(async () => {
    // Something listens, so no ICMP port-unreachable answers; what it receives is thrown away.
    await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
    receiver.on('message', () => undefined);
    port = (receiver.address() as AddressInfo).port;
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });

  afterAll(() => receiver.close());

  /** Sends the burst from a child process while this thread, and so the capture, waits for it. */
  function burstWhileBlocked(): void {
    const sender = `
      const s = require('node:dgram').createSocket('udp4');
      const payload = Buffer.alloc(${DATAGRAM_BYTES}, 0x61);
      let left = ${BURST};
      const next = () => left-- > 0 ? s.send(payload, ${port}, '127.0.0.1', next) : s.close();
      next();`;
    const child = spawnSync(process.execPath, ['-e', sender], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
    if (child.status !== 0) throw new Error(`the burst sender failed (${child.status ?? child.signal}): ${child.stderr.toString()}`);
  }

  it('counts the packets the kernel dropped while the capture buffer was full', async () => {
    const notices: string[] = [];
    const capture = startLiveCapture({ ...options(`udp and dst port ${port}`, notices), bufferSizeMb: 1 });
    running.push(capture);
    expect(notices).toEqual([]);
    const counters = capture.engine.counters;
    expect(counters.get(LIVE_KERNEL_DROPPED)).toBe(0);

    burstWhileBlocked();
    // Resumed: what the ring held reaches sidetap, and the next sample counts the rest as dropped.
    await waitFor(() => capture.engine.packetCount + counters.get(LIVE_KERNEL_DROPPED) >= BURST, `the ${BURST} datagrams to be seen or counted as dropped (seen ${capture.engine.packetCount}, dropped ${counters.get(LIVE_KERNEL_DROPPED)})`);
    const summary = await capture.stop();

    const dropped = summary.counters[LIVE_KERNEL_DROPPED] ?? 0;
    const received = summary.counters[LIVE_KERNEL_RECEIVED] ?? 0;
    // The buffer holds about a thousand of these datagrams: most of the burst cannot fit.
    expect(dropped).toBeGreaterThan(BURST / 2);
    expect(received).toBeGreaterThanOrEqual(BURST);
    expect(summary.packets + dropped).toBeGreaterThanOrEqual(BURST);
    // What the kernel kept is what libpcap read; on lo it also holds each packet's outgoing copy.
    expect(received - dropped).toBeGreaterThanOrEqual(summary.packets);
    expect(summary.packets).toBeLessThan(BURST);
  });

  it('keeps two captures in one process apart', async () => {
    const quiet = startLiveCapture({ ...options('udp and dst port 9'), bufferSizeMb: 1 });
    running.push(quiet);
    const busy = startLiveCapture({ ...options(`udp and dst port ${port}`), bufferSizeMb: 1 });
    running.push(busy);
    burstWhileBlocked();
    const [quietSummary, busySummary] = await Promise.all([quiet.stop(), busy.stop()]);
    expect(busySummary.counters[LIVE_KERNEL_DROPPED]).toBeGreaterThan(BURST / 2);
    expect(quietSummary.counters[LIVE_KERNEL_DROPPED]).toBe(0);
    expect(quietSummary.counters[LIVE_KERNEL_RECEIVED]).toBe(0);
  });
});
