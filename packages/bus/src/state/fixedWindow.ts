// Fixed event-time windows: [k * windowMs, (k + 1) * windowMs), the same boundaries in every store
// and every process, so counts from several stage processes land in the same window.

/** Start of the window holding `at`. */
export function windowStart(at: number, windowMs: number): number {
  return Math.floor(at / windowMs) * windowMs;
}

/** Starts of the `count` windows ending with the one holding `at`, newest first. */
export function windowStarts(at: number, windowMs: number, count: number): number[] {
  const newest = windowStart(at, windowMs);
  const starts = new Array<number>(count);
  for (let i = 0; i < count; i++) starts[i] = newest - i * windowMs;
  return starts;
}
