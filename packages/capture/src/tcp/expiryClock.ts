// Capture time as idle expiry sees it. The reassembler sweeps for idle connections when this says
// a sweep is due; parallel capture runs one of these on the reading thread too, so each worker is
// told to sweep at exactly the capture times a single-threaded run would.

/** Idle expiry runs at most this often in capture time, so its cost stays off the per-packet path. */
const EXPIRY_INTERVAL_US = 1_000_000;

export class ExpiryClock {
  /** Latest capture time seen; it never runs backwards. */
  nowUs = 0;
  private nextSweepUs = 0;

  /** Moves the clock to `tsUs` (if later); true when a sweep is due now, which counts as run. */
  advance(tsUs: number): boolean {
    if (tsUs <= this.nowUs) return false;
    this.nowUs = tsUs;
    if (tsUs < this.nextSweepUs) return false;
    this.swept();
    return true;
  }

  /** A sweep ran at nowUs: the next is due an interval later. */
  swept(): void {
    this.nextSweepUs = this.nowUs + EXPIRY_INTERVAL_US;
  }
}
