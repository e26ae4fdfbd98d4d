// The once-a-second work of a live source: close idle flows on the wall clock (capture time
// alone would never move on a quiet link) and refresh a drop counter the kernel keeps, as the
// difference from when the source started.
import type { Counters } from '@sidetap/core';
import type { LiveEngine } from './liveEngine';
import { wallClockUs } from './wallClock';

export interface LiveTicker {
  stop(): void;
  /** Refreshes the drop counter now (a source's last read, once its socket or handle has drained). */
  sampleDrops(): void;
}

/**
 * Starts ticking. `readDrops` gives the kernel's running count, or undefined where it keeps none;
 * `alsoSample` refreshes a source's other kernel counters at the same moments.
 */
export function startLiveTicker(
  engine: LiveEngine,
  counters: Counters,
  dropCounter: string,
  readDrops: () => number | undefined,
  tickMs: number,
  alsoSample: () => void = () => undefined,
): LiveTicker {
  const atStart = readDrops();
  const sampleDrops = (): void => {
    alsoSample();
    if (atStart === undefined) return;
    const now = readDrops();
    if (now !== undefined) counters.set(dropCounter, Math.max(0, now - atStart));
  };
  sampleDrops();
  const timer = setInterval(() => {
    engine.tick(wallClockUs());
    sampleDrops();
  }, tickMs);
  return { stop: () => clearInterval(timer), sampleDrops };
}
