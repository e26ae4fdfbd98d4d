// Capture time for live sources: cap does not pass libpcap's packet timestamps on, and a UDP
// socket has none, so packets are stamped on arrival with a monotonic microsecond wall clock.
import { performance } from 'node:perf_hooks';

const ORIGIN_MS = performance.timeOrigin;

/** Microseconds since the Unix epoch, monotonic within the process, sub-millisecond precision. */
export function wallClockUs(): number {
  return Math.floor((ORIGIN_MS + performance.now()) * 1000);
}
