// A learned maximum that forgets: the largest value seen, weighing half after each half-life of
// event time, so a baseline that keeps learning after the learning period follows a slow change
// either way. Kept as its value when set and that time, so it is stored once and decayed on read.

export interface DecayedMax {
  /** The maximum as it stood at `at`. */
  value: number;
  /** Event time (ms) it was set. */
  at: number;
}

/** What a learned quantity set at `at` weighs at `t`: halves every `halfLifeMs`, never grows. */
export function decayFactor(at: number, t: number, halfLifeMs: number): number {
  return t <= at ? 1 : 0.5 ** ((t - at) / halfLifeMs);
}

/** The maximum as it stands at `t`. */
export function decayedValue(m: DecayedMax, t: number, halfLifeMs: number): number {
  return m.value * decayFactor(m.at, t, halfLifeMs);
}

/** Offers a sample; true when it became the new maximum (the caller stores it then). */
export function offerMax(m: DecayedMax, x: number, t: number, halfLifeMs: number): boolean {
  if (x <= decayedValue(m, t, halfLifeMs)) return false;
  m.value = x;
  m.at = t;
  return true;
}
