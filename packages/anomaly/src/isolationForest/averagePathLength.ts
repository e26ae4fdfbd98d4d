// c(n) from Liu, Ting & Zhou (2008): the average path length of an unsuccessful search in a binary
// search tree of n keys. It normalises path lengths into scores, and it is the depth an external
// node holding n training samples stands for, since growth stopped before isolating them.
const EULER_GAMMA = 0.5772156649015329;
/** Up to here H(i) is summed exactly; past it the asymptotic series is exact to ~1e-16. */
const EXACT_HARMONIC_MAX = 256;

/**
 * The harmonic number H(i) = 1 + 1/2 + … + 1/i. The paper estimates it as ln(i) + γ, which is off
 * by 0.2 at i = 2 (c(3) would be 1.21 instead of 5/3); the small external nodes every tree ends in
 * are exactly where that matters, so small i are summed and large i use the series with its
 * 1/(2i) − 1/(12i²) + 1/(120i⁴) corrections.
 */
export function harmonicNumber(i: number): number {
  if (i <= EXACT_HARMONIC_MAX) {
    let h = 0;
    // Smallest terms first: the sum rounds less.
    for (let k = i; k >= 1; k--) h += 1 / k;
    return h;
  }
  const inv = 1 / i;
  const inv2 = inv * inv;
  return Math.log(i) + EULER_GAMMA + 0.5 * inv - inv2 / 12 + (inv2 * inv2) / 120;
}

/** c(n) = 2H(n − 1) − 2(n − 1)/n for n ≥ 2 (so c(2) = 1), and 0 for n ≤ 1. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  return 2 * harmonicNumber(n - 1) - (2 * (n - 1)) / n;
}
